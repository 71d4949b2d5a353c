"""Intake's settings: `INTAKE_*` variables over the shared defaults (port 8001, database huifang_intake)."""

from __future__ import annotations

from huifang_infra.settings import ServiceSettings
from pydantic_settings import SettingsConfigDict


class IntakeSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="INTAKE_", extra="ignore", validate_by_name=True)

    service_name: str = "intake"
    http_port: int = 8001
