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
    """`name` is past tense (`dispatched`, `closed` …); `data` holds what the command decided, `fields`
    what it set on the record (all of them when the record began): folding a record's changes gives it
    back, field for field, so the records table can be emptied and rebuilt from the streams."""

    model_config = ConfigDict(frozen=True)

    name: str
    at: datetime
    data: dict[str, Any] = {}
    fields: dict[str, Any] = {}

    @field_validator("at")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        return as_utc(value)  # type: ignore[no-any-return]


#: The change an upgrade appends to a stream whose earlier changes did not carry their fields.
IMPORTED = "imported"


def recorded(before: Record | None, after: Record, change: Change) -> Change:
    """The change with the fields it set: the whole record for a new one, else what differs."""
    now = after.model_dump(mode="json")
    if before is None:
        return change.model_copy(update={"fields": now})
    was = before.model_dump(mode="json")
    return change.model_copy(update={"fields": {k: v for k, v in now.items() if was.get(k) != v}})


def replayed(state: dict[str, Any] | None, change: dict[str, Any]) -> dict[str, Any] | None:
    """A record's JSON after one stored change (its JSON too). A change from before changes carried
    their fields sets nothing; the `imported` change an upgrade appended after them sets everything."""
    fields: dict[str, Any] | None = change.get("fields")
    if change.get("name") == IMPORTED:
        return dict(fields or {})
    if not fields:
        return state
    return (state or {}) | fields


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
