"""Survey's settings: `SURVEY_<FIELD>` variables, e.g. `SURVEY_HTTP_PORT`, `SURVEY_PUBLIC_BASE_URL`."""

from __future__ import annotations

from huifang_infra.settings import ServiceSettings
from pydantic import Field
from pydantic_settings import SettingsConfigDict


class SurveySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="SURVEY_", extra="ignore", validate_by_name=True)

    service_name: str = "survey"
    http_port: int = 8004
    public_base_url: str = Field(
        default="http://127.0.0.1:8004", description="where residents open their links (/s/<token>)"
    )
    ballot_ttl_days: int = Field(default=30, ge=1, description="how long a household's link stays usable")
