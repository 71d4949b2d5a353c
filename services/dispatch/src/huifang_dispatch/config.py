"""Dispatch settings: `DISPATCH_<FIELD>` variables override the defaults, which suit the local stack."""

from __future__ import annotations

from huifang_contracts.enums import StaffRole
from huifang_infra.settings import ServiceSettings
from pydantic import Field
from pydantic_settings import SettingsConfigDict


class DispatchSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="DISPATCH_", extra="ignore", validate_by_name=True)

    service_name: str = "dispatch"
    http_port: int = 8003
    unassigned_retry_seconds: float = Field(
        default=60.0, gt=0, description="how often the unassigned queue is tried again (duty changes at 08:30)"
    )
    escalation_role: StaffRole = Field(
        default=StaffRole.OFFICE_MANAGER, description="who an overdue or unplaceable callback goes to by default"
    )
