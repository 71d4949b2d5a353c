"""The callback stream's events → contract events, one function each, enveloped for the outbox.

Only what other services need is published: a callback scheduled, due, overdue, its window counted
again (R-CB-2), and a complaint sent back (R-CB-10). Event ids derive from the callback id and what
happened, so an emission repeated by mistake carries the same id and is deduplicated downstream;
`correlation_id` follows the chain of the event that caused the callback.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from huifang_contracts.base import IntegrationEvent
from huifang_contracts.callback import (
    CallbackDeadlineRevised,
    CallbackDue,
    CallbackOverdue,
    CallbackScheduled,
    ComplaintReopened,
    SampleDrawn,
)
from huifang_contracts.enums import RequestKind
from huifang_contracts.envelope import Envelope
from huifang_infra.repository import Cause, Decided

from huifang_callback.domain.callback import event_id_for
from huifang_callback.domain.callback_life import CallbackLife
from huifang_callback.domain.events import (
    BecameDue,
    BecameOverdue,
    CallbackRecord,
    DeadlineRevised,
    Drawn,
    ReopenDecided,
    SampleRecord,
    Scheduled,
)
from huifang_callback.domain.sample import SampleState

PRODUCER = "callback"


def scheduled(c: CallbackRecord, at: datetime) -> Envelope:
    event = CallbackScheduled(
        callback_id=c.callback_id,
        source_type=c.source_type,
        source_id=c.source_id,
        kind=c.kind,
        window_start=c.window_start,
        due_at=c.due_at,
        deadline=c.deadline,
        method=c.method,
        caller_role=c.caller_role,
        apology=c.apology,
        max_attempts=c.max_attempts,
        retry_spacing_minutes=c.retry_spacing_minutes,
        rule_id=c.rule_id,
        policy_id=c.policy_id,
        policy_version=c.policy_version,
        round=c.round,
        sampled=c.sampled,
        sample_id=c.sample_id,
        department=c.department,
        grade=c.grade,
        category=c.category,
        subcategory=c.subcategory,
        unit_id=c.unit_id,
        requester_name=c.requester_name,
        requester_phone=c.requester_phone,
        worker_id=c.worker_id,
        rating_scale=c.rating_scale,
    )
    return Envelope.wrap(
        event,
        group_id=c.group_id,
        estate_id=c.estate_id,
        aggregate_id=c.callback_id,
        producer=PRODUCER,
        occurred_at=at,
        recorded_at=at,
        correlation_id=c.correlation_id,
        causation_id=c.cause_event_id,
        event_id=event_id_for(c.callback_id, "scheduled"),
    )


def _follow_up(c: CallbackRecord, event: IntegrationEvent, what: str, at: datetime) -> Envelope:
    cause = event_id_for(c.callback_id, "scheduled")  # CallbackScheduled's id: what this event follows
    return Envelope.wrap(
        event,
        group_id=c.group_id,
        estate_id=c.estate_id,
        aggregate_id=c.callback_id,
        producer=PRODUCER,
        occurred_at=at,
        recorded_at=at,
        correlation_id=c.correlation_id or cause,
        causation_id=cause,
        event_id=event_id_for(c.callback_id, what),
    )


def due(c: CallbackRecord, became: BecameDue) -> Envelope:
    event = CallbackDue(
        callback_id=c.callback_id, due_at=c.due_at, deadline=c.deadline, method=c.method, caller_role=c.caller_role
    )
    return _follow_up(c, event, "due", became.at)


def overdue(c: CallbackRecord, became: BecameOverdue) -> Envelope:
    event = CallbackOverdue(
        callback_id=c.callback_id,
        deadline=c.deadline,
        attempts_made=became.attempts_made,
        escalate_to_role=became.escalate_to_role,
    )
    return _follow_up(c, event, "overdue", became.at)


def deadline_revised(c: CallbackRecord, revised: DeadlineRevised) -> Envelope:
    event = CallbackDeadlineRevised(
        callback_id=c.callback_id, window_start=revised.window_start, due_at=revised.due_at,
        deadline=revised.deadline, provisional=revised.provisional, reason=revised.reason,
    )  # fmt: skip
    return _follow_up(c, event, f"revised-{revised.deadline.isoformat()}", revised.at)


def reopened(c: CallbackRecord, decided: ReopenDecided, cause: Cause) -> Envelope:
    """Joins the chain of survey's `CallbackCompleted` that caused it (its correlation, its id as causation)."""
    event = ComplaintReopened(
        complaint_id=c.source_id,
        erp_id=c.erp_id,
        callback_id=c.callback_id,
        round=decided.next_round,
        reason=decided.reason,
        department=c.department,
        escalate_to_role=decided.escalate_to_role,
    )
    return Envelope.wrap(
        event,
        group_id=c.group_id,
        estate_id=c.estate_id,
        aggregate_id=c.source_id,
        producer=PRODUCER,
        occurred_at=decided.occurred_at,
        recorded_at=decided.at,
        correlation_id=cause.correlation_id,
        causation_id=cause.causation_id,
        event_id=event_id_for(c.callback_id, f"reopened-{decided.next_round}"),
    )


_Mapping = Callable[[CallbackRecord, Any, Cause], Envelope]
_PUBLISHED: dict[type[Any], _Mapping] = {
    Scheduled: lambda c, e, _cause: scheduled(c, e.at),
    BecameDue: lambda c, e, _cause: due(c, e),
    BecameOverdue: lambda c, e, _cause: overdue(c, e),
    DeadlineRevised: lambda c, e, _cause: deadline_revised(c, e),
    ReopenDecided: reopened,
}


def published(decided: Decided[Any, CallbackLife, Any]) -> list[Envelope]:
    """The contract events of what one command decided; the others stay in the stream."""
    record = decided.state.record
    if record is None:
        return []
    return [_PUBLISHED[type(e)](record, e, decided.cause) for e in decided.events if type(e) in _PUBLISHED]


def sample_drawn(sample: SampleRecord) -> Envelope:
    """R-CB-13: everything needed to redo the draw and check it: population, seed, algorithm, size."""
    event = SampleDrawn(
        sample_id=sample.sample_id, month=sample.month, request_kind=RequestKind(sample.request_kind),
        population_ids=list(sample.population), seed=sample.seed, algorithm=sample.algorithm,
        chosen_ids=list(sample.chosen), door_count=sample.door_count, rule_id=sample.rule_id,
        policy_id=sample.policy_id, policy_version=sample.policy_version,
    )  # fmt: skip
    at = sample.drawn_at
    return Envelope.wrap(
        event, group_id=sample.group_id, estate_id=sample.estate_id, aggregate_id=sample.sample_id,
        producer=PRODUCER, occurred_at=at, recorded_at=at, event_id=event_id_for(sample.sample_id, "drawn"),
    )  # fmt: skip


def sample_published(decided: Decided[Any, SampleState, Any]) -> list[Envelope]:
    return [sample_drawn(e.sample) for e in decided.events if isinstance(e, Drawn)]
