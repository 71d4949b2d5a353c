"""Survey's own events: what was recorded of each callback, campaign and ballot, in their streams.

These are the service's facts, not its public language: `service_layer/outgoing.py` maps the ones other
services need to the contracts' events (`CallbackAttempted`, `CallbackCompleted`, …). Each carries what
its projection row shows, so folding a stream gives back every field the API answers with.

Streams: `callback-record-<callback_id>` (contacts, the record, raised complaints).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from huifang_contracts.enums import AttemptResult, CallbackMethod, FailureReason, Relation
from huifang_contracts.survey import Ratings

# -- the callback record ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ContactAttempted:
    """One try to reach the requester (R-CB-11), as the caller reported it; `record_late`: R-CB-12."""

    TYPE: ClassVar[str] = "survey.ContactAttempted"
    callback_id: str
    attempt_no: int
    caller_id: str
    result: AttemptResult
    method: CallbackMethod
    contacted_at: datetime
    recorded_at: datetime
    record_late: bool
    answered_by: str | None = None
    relation: Relation | None = None
    duration_seconds: int | None = None
    note: str | None = None
    next_attempt_after: datetime | None = None


@dataclass(frozen=True)
class RecordCompleted:
    """The requester was reached and rated the service (R-SV-3): the callback record."""

    TYPE: ClassVar[str] = "survey.RecordCompleted"
    callback_id: str
    caller_id: str
    method: CallbackMethod
    completed_at: datetime
    recorded_at: datetime
    ratings: Ratings
    satisfied_or_fair: bool
    late: bool
    record_late: bool
    attempts_used: int
    answered_by: str | None = None
    relation: Relation | None = None
    duration_seconds: int | None = None
    comments: str | None = None
    suggestions: str | None = None


@dataclass(frozen=True)
class RecordFailed:
    """R-CB-11: a refusal, a wrong number, or the policy's last attempt unanswered ends the callback."""

    TYPE: ClassVar[str] = "survey.RecordFailed"
    callback_id: str
    reason: FailureReason
    attempts_used: int
    last_result: AttemptResult
    failed_at: datetime
    recorded_at: datetime


@dataclass(frozen=True)
class ComplaintRaised:
    """R-CB-9: the requester raised a new issue during the callback; it becomes a complaint at intake."""

    TYPE: ClassVar[str] = "survey.ComplaintRaised"
    issue_id: str
    callback_id: str
    description: str
    recorded_by: str
    raised_at: datetime
    recorded_at: datetime
    category: str | None = None
    subcategory: str | None = None
    unit_id: str | None = None
    requester_name: str | None = None
    requester_phone: str | None = None


@dataclass(frozen=True)
class CallbackRecord:
    """The callback record's state: its status and every fact recorded so far."""

    status: str = "open"
    attempts_used: int = 0
    attempts: tuple[ContactAttempted, ...] = ()
    completion: RecordCompleted | None = None
    failure: RecordFailed | None = None
    issues: tuple[ComplaintRaised, ...] = ()


@dataclass(frozen=True)
class RecordImported:
    """A callback's rows of before its stream existed (migration 0002): its whole record, once."""

    TYPE: ClassVar[str] = "survey.RecordImported"
    callback_id: str
    record: CallbackRecord


RecordEvent = ContactAttempted | RecordCompleted | RecordFailed | ComplaintRaised | RecordImported
RECORD_EVENTS: tuple[type[RecordEvent], ...] = (
    ContactAttempted,
    RecordCompleted,
    RecordFailed,
    ComplaintRaised,
    RecordImported,
)
