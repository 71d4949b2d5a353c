"""HTTP models of the console's sign-in endpoints (never the contracts)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TokenOut(BaseModel):
    """RFC 6749 §5.1, plus who signed in so the console can greet them without another call."""

    access_token: str
    token_type: str = "bearer"
    expires_in: int
    staff_id: str
    name: str
    role: str
    role_zh: str
    group_id: str
    estate_id: str
    must_change: bool


class PasswordChangeIn(_In):
    current_password: str = Field(min_length=1, max_length=128)
    new_password: str = Field(min_length=1, max_length=128)


class PasswordSetIn(_In):
    password: str = Field(min_length=1, max_length=128)
    must_change: bool = Field(default=True, description="the person chooses their own at first sign-in")


class MeOut(BaseModel):
    staff_id: str
    name: str | None
    role: str
    role_zh: str | None
    group_id: str
    estate_id: str | None
    estates: list[str] | None
    timezone: str
    door_visits: bool
    must_change: bool


class HistoryItem(BaseModel):
    callback_id: str
    round: int
    status: str
    status_zh: str
    method_zh: str
    assignee_id: str | None
    attempts_made: int
    deadline_local: str
    closed_at_local: str | None


class CallbackContext(BaseModel):
    """What the caller reads before calling: the source, its earlier rounds, the attempts so far."""

    callback_id: str
    source_type: str | None
    source_type_zh: str | None
    source_id: str | None
    last_attempt_local: str | None
    history: list[HistoryItem]


class LockedOut(BaseModel):
    error: str
    error_description: str
    locked_until: datetime | None = None
