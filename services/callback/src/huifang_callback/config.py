"""The callback service's settings: `CALLBACK_*` variables over the shared defaults."""

from __future__ import annotations

from huifang_infra.settings import ServiceSettings
from pydantic import Field
from pydantic_settings import SettingsConfigDict


class CallbackSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="CALLBACK_", extra="ignore", validate_by_name=True)

    service_name: str = "callback"
    http_port: int = 8002
    timer_tick_seconds: float = Field(default=5.0, gt=0, description="how often due/overdue/samples are checked")
    timer_batch_size: int = Field(default=500, ge=1, le=10_000, description="rows claimed per timer transaction")
    sampling_concurrency: int = Field(default=8, ge=1, le=64, description="estates drawn in parallel")
    sampling_enabled: bool = Field(default=True, description="the monthly draw at each estate's local time")
    sampling_check_seconds: float = Field(
        default=60.0, ge=0, description="how often the draw moments of all estates are checked (0: every tick)"
    )
