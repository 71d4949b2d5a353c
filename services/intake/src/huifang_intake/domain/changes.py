"""`Change`: one past-tense fact recorded by an aggregate's command; a record's history is its changes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, field_validator

from huifang_intake.domain.errors import DomainError


def as_utc(value: Any) -> Any:
    """Store UTC, show estate-local: an aware time in another zone is the same instant, normalised."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC)
    return value


class Change(BaseModel):
    """`name` is past tense (`dispatched`, `closed` …); `data` holds what the command decided."""

    model_config = ConfigDict(frozen=True)

    name: str
    at: datetime
    data: dict[str, Any] = {}

    @field_validator("at")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        return as_utc(value)  # type: ignore[no-any-return]


class Record(BaseModel):
    """What every intake aggregate carries: identity, tenancy and a status, all frozen."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    group_id: str
    estate_id: str
    erp_id: str | None = None

    @field_validator("*")
    @classmethod
    def _times_in_utc(cls, value: Any) -> Any:
        return as_utc(value)

    def evolve(self, **update: Any) -> Self:
        """A copy with `update` applied and validated (times normalised to UTC, like on entry)."""
        return self.model_validate(self.model_dump() | update)

    def require_order(self, *, at: datetime, after: datetime | None, field: str, after_field: str) -> None:
        """A step cannot happen before the step it follows (a late clock or a typo, never both true)."""
        if at.tzinfo is None:
            raise DomainError(field, "a time needs its zone, e.g. 2026-03-02T16:40:00+08:00")
        if after is not None and at < after:
            raise DomainError(field, f"{at.isoformat()} is before {after_field} {after.isoformat()}")
