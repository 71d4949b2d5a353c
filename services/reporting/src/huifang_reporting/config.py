"""Reporting's settings: `REPORTING_<FIELD>` variables override each field."""

from __future__ import annotations

from pathlib import Path

from huifang_infra.settings import ServiceSettings
from pydantic import Field
from pydantic_settings import SettingsConfigDict

#: services/reporting/src/huifang_reporting/config.py → the repository root
REPO_ROOT = Path(__file__).resolve().parents[4]


class ReportingSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="REPORTING_", extra="ignore", validate_by_name=True)

    service_name: str = "reporting"
    http_port: int = 8005
    web_assets_dir: Path = Field(
        default=REPO_ROOT / ".cache" / "web",
        description="npm prefix holding node_modules/echarts (services/reporting/scripts/fetch_assets.py)",
    )
    month_close_grace_days: int = Field(
        default=5, ge=0, le=31, description="a month closes this many days after its local end (R-CB-4: the 5th)"
    )
    corrective_action_days: int = Field(default=15, ge=1, description="deadline of a corrective-action notice")
    close_interval_seconds: float = Field(default=60.0, gt=0, description="how often the month closer looks")
