"""Domain outcomes → contract events, enveloped in the transaction that records them (outbox)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from huifang_contracts.base import IntegrationEvent
from huifang_contracts.enums import StaffRole
from huifang_contracts.envelope import Envelope
from huifang_contracts.survey import (
    CallbackAttempted,
    CallbackCompleted,
    CallbackFailed,
    ComplaintRaisedDuringCallback,
)

from huifang_survey.domain.callback import Contact, Outcome

PRODUCER = "survey"

#: R-CB-9: a complaint raised during a callback is escalated to the supervisor, the office manager.
ESCALATE_RAISED_TO = StaffRole.OFFICE_MANAGER


class Tenancy:
    """Where an event belongs and what caused it: every envelope of one request shares these."""

    def __init__(
        self, group_id: str, estate_id: str, correlation_id: UUID | None, causation_id: UUID | None, now: datetime
    ) -> None:
        self.group_id, self.estate_id, self.now = group_id, estate_id, now
        self.correlation_id, self.causation_id = correlation_id, causation_id

    def wrap(self, event: IntegrationEvent, aggregate_id: str, occurred_at: datetime) -> Envelope:
        return Envelope.wrap(
            event,
            group_id=self.group_id,
            estate_id=self.estate_id,
            aggregate_id=aggregate_id,
            producer=PRODUCER,
            occurred_at=occurred_at,
            recorded_at=self.now,
            correlation_id=self.correlation_id,
            causation_id=self.causation_id,
        )


def issue_id_for(callback_id: str, attempt_no: int, index: int) -> str:
    """Stable, so intake's dedupe on the issue id holds if the same record is ever replayed."""
    return f"{callback_id}-a{attempt_no}-i{index + 1}"


def contact_events(
    tenancy: Tenancy, callback_id: str, contact: Contact, outcome: Outcome, household: dict[str, str | None]
) -> list[Envelope]:
    """CallbackAttempted always; then completed or failed; then one complaint per new issue (R-CB-9)."""
    at = contact.contacted_at
    events = [
        tenancy.wrap(
            CallbackAttempted(
                callback_id=callback_id,
                attempt_no=outcome.attempt.attempt_no,
                result=contact.result,
                method=contact.method,
                caller_id=contact.caller_id,
                attempted_at=at,
                next_attempt_after=outcome.attempt.next_attempt_after,
                note=contact.note,
            ),
            callback_id,
            at,
        )
    ]
    if outcome.completion is not None:
        done = outcome.completion
        completed = CallbackCompleted(
            callback_id=callback_id,
            caller_id=contact.caller_id,
            method=contact.method,
            completed_at=at,
            answered_by=contact.answered_by,
            relation=contact.relation,
            ratings=done.ratings,
            satisfied_or_fair=done.satisfied_or_fair,
            comments=contact.comments,
            suggestions=contact.suggestions,
            late=done.late,
            record_late=done.record_late,
            attempts_used=done.attempts_used,
        )
        events.append(tenancy.wrap(completed, callback_id, at))
    if outcome.failure is not None:
        failed = CallbackFailed(
            callback_id=callback_id,
            attempts_used=outcome.failure.attempts_used,
            last_result=contact.result,
            reason=outcome.failure.reason,
        )
        events.append(tenancy.wrap(failed, callback_id, at))
    for index, issue in enumerate(outcome.issues):
        raised = ComplaintRaisedDuringCallback(
            issue_id=issue_id_for(callback_id, outcome.attempt.attempt_no, index),
            callback_id=callback_id,
            description=issue.description,
            category=issue.category,
            subcategory=issue.subcategory,
            unit_id=household.get("unit_id"),
            requester_name=household.get("requester_name"),
            requester_phone=household.get("requester_phone"),
            recorded_by=contact.caller_id,
            escalate_to_role=ESCALATE_RAISED_TO,
        )
        events.append(tenancy.wrap(raised, callback_id, at))
    return events
