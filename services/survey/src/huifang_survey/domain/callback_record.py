"""The callback record as a decider: contacts attempted, the record completed or failed, complaints raised.

What a callback requires (attempts, spacing, deadline, scale, who holds it) is other services' news,
kept in survey's read model of `CallbackScheduled` and the assignments; the command carries it as the
callback's terms. What has happened on the phone — the attempts so far, whether the record is closed —
is this stream's own state, and `decide` judges the new contact against it with the rules of
`domain/callback.py` (R-CB-9, R-CB-11, R-CB-12).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from huifang_contracts.enums import SatisfactionScale

from huifang_survey.domain.callback import COMPLETED, FAILED, CallbackTask, Contact, issue_id_for
from huifang_survey.domain.events import (
    CallbackRecord,
    ComplaintRaised,
    ContactAttempted,
    RecordCompleted,
    RecordEvent,
    RecordFailed,
    RecordImported,
)

STREAM_PREFIX = "callback-record-"


def stream_id(callback_id: str) -> str:
    return f"{STREAM_PREFIX}{callback_id}"


@dataclass(frozen=True)
class CallbackTerms:
    """What the callback requires and who holds it, from the read model of callback's and dispatch's events."""

    callback_id: str
    max_attempts: int
    retry_spacing_minutes: int
    deadline: datetime | None
    scale: SatisfactionScale
    timezone: str
    assignee_id: str | None


@dataclass(frozen=True)
class Household:
    """Whom a raised complaint concerns (R-CB-9), as `CallbackScheduled` named them."""

    unit_id: str | None = None
    requester_name: str | None = None
    requester_phone: str | None = None


@dataclass(frozen=True)
class RecordContact:
    terms: CallbackTerms
    contact: Contact
    household: Household = field(default_factory=Household)


def initial_state() -> CallbackRecord:
    return CallbackRecord()


def decide(command: RecordContact, state: CallbackRecord) -> list[RecordEvent]:
    """The attempt always; then the record completed or failed; then one complaint per new issue (R-CB-9)."""
    t, c, home = command.terms, command.contact, command.household
    task = CallbackTask(
        t.callback_id, t.max_attempts, t.retry_spacing_minutes, t.deadline, t.scale, t.timezone, t.assignee_id,
        status=state.status, attempts_used=state.attempts_used,
    )  # fmt: skip
    outcome = task.record(c)
    no = outcome.attempt.attempt_no
    events: list[RecordEvent] = [
        ContactAttempted(
            callback_id=t.callback_id, attempt_no=no, caller_id=c.caller_id, result=c.result, method=c.method,
            contacted_at=c.contacted_at, recorded_at=c.recorded_at, record_late=outcome.attempt.record_late,
            answered_by=c.answered_by, relation=c.relation, duration_seconds=c.duration_seconds, note=c.note,
            next_attempt_after=outcome.attempt.next_attempt_after,
        )
    ]  # fmt: skip
    if (done := outcome.completion) is not None:
        events.append(
            RecordCompleted(
                callback_id=t.callback_id, caller_id=c.caller_id, method=c.method, completed_at=c.contacted_at,
                recorded_at=c.recorded_at, ratings=done.ratings, satisfied_or_fair=done.satisfied_or_fair,
                late=done.late, record_late=done.record_late, attempts_used=done.attempts_used,
                answered_by=c.answered_by, relation=c.relation, duration_seconds=c.duration_seconds,
                comments=c.comments, suggestions=c.suggestions,
            )
        )  # fmt: skip
    if (failed := outcome.failure) is not None:
        events.append(
            RecordFailed(t.callback_id, failed.reason, failed.attempts_used, c.result, c.contacted_at, c.recorded_at)
        )
    for index, issue in enumerate(outcome.issues):
        events.append(
            ComplaintRaised(
                issue_id=issue_id_for(t.callback_id, no, index), callback_id=t.callback_id,
                description=issue.description, recorded_by=c.caller_id, raised_at=c.contacted_at,
                recorded_at=c.recorded_at, category=issue.category, subcategory=issue.subcategory,
                unit_id=home.unit_id, requester_name=home.requester_name, requester_phone=home.requester_phone,
            )
        )  # fmt: skip
    return events


def evolve(state: CallbackRecord, event: RecordEvent) -> CallbackRecord:
    if isinstance(event, ContactAttempted):
        return replace(state, attempts_used=event.attempt_no, attempts=(*state.attempts, event))
    if isinstance(event, RecordCompleted):
        return replace(state, status=COMPLETED, completion=event)
    if isinstance(event, RecordFailed):
        return replace(state, status=FAILED, failure=event)
    if isinstance(event, ComplaintRaised):
        return replace(state, issues=(*state.issues, event))
    assert isinstance(event, RecordImported)
    return event.record  # rows of before the streams: the whole record at once
