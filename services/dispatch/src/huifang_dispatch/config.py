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

    # The staff console (served here): where the browser finds the other services, and sign-in rules.
    console_survey_url: str = Field(
        default="http://127.0.0.1:8004", description="survey's base URL as the browser reaches it (records)"
    )
    console_callback_url: str = Field(
        default="http://127.0.0.1:8002", description="callback's base URL as the browser reaches it (policy)"
    )
    console_reporting_url: str = Field(
        default="http://127.0.0.1:8005", description="reporting's base URL as the browser reaches it (KPIs)"
    )
    console_token_ttl_minutes: int = Field(
        default=10,
        ge=2,
        le=1440,
        description="lifetime of a console token, refreshed while the page is open: a sign-out ends it at the "
        "console at once and at every other service within this",
    )
    lockout_max_failures: int = Field(default=5, ge=1, description="wrong passwords within the window that lock")
    lockout_window_minutes: int = Field(default=15, ge=1, description="the window the failures are counted in")
    lockout_minutes: int = Field(default=15, ge=1, description="how long a locked account stays locked")
    signin_client_max_failures: int = Field(
        default=30, ge=1, description="refused sign-ins from one client address within the window that stop it"
    )
    signin_client_window_minutes: int = Field(default=15, ge=1, description="the window those are counted in")
