"""HTTP request bodies (never the contracts)."""

from __future__ import annotations

from huifang_contracts.enums import Metric
from pydantic import BaseModel, ConfigDict, Field


class TargetIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    estate_id: str = Field(default="*", min_length=1, max_length=128, description='"*": every estate of the group')
    metric: Metric
    target_percent: float = Field(ge=0, le=100)


class CloseMonthIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    estate_id: str | None = Field(default=None, description="None: every estate in the caller's scope")


class VerificationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    effective: bool
    actual_percent: float | None = Field(default=None, ge=0, le=100)
    note: str | None = Field(default=None, max_length=4000)


class AcknowledgementIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: str | None = Field(default=None, max_length=4000, description="what the estate will do")


class CommentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    comment: str = Field(min_length=1, max_length=4000)
