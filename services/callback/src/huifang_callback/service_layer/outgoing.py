"""Domain facts → contract events, enveloped in the transaction that made them (transactional outbox).

Event ids are derived from the callback id and what happened, so an emission repeated by mistake would
carry the same id and be deduplicated downstream; `correlation_id` follows the triggering event's chain.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from huifang_contracts.callback import CallbackDue, CallbackOverdue, CallbackScheduled, ComplaintReopened
from huifang_contracts.enums import CallbackMethod, StaffRole
from huifang_contracts.envelope import Envelope

from huifang_callback.domain.callback import Callback, event_id_for
from huifang_callback.domain.planning import escalation_after

PRODUCER = "callback"


def scheduled(callback: Callback, *, correlation_id: UUID | None, causation_id: UUID | None, at: datetime) -> Envelope:
    s = callback.source
    event = CallbackScheduled(
        callback_id=callback.callback_id,
        source_type=s.event_type,
        source_id=s.source_id,
        kind=s.kind,
        window_start=callback.window.window_start,
        due_at=callback.window.due_at,
        deadline=callback.window.deadline,
        method=callback.method,
        caller_role=callback.caller_role,
        apology=callback.apology,
        max_attempts=callback.rule.max_attempts,
        retry_spacing_minutes=callback.rule.retry_spacing_minutes,
        rule_id=callback.rule.rule_id,
        policy_id=callback.policy_id,
        policy_version=callback.policy_version,
        round=s.round,
        sampled=callback.sampled,
        sample_id=callback.sample_id,
        department=s.department,
        grade=s.grade,
        category=s.category,
        subcategory=s.subcategory,
        unit_id=s.unit_id,
        requester_name=s.requester_name,
        requester_phone=s.requester_phone,
        worker_id=s.worker_id,
        rating_scale=callback.rating_scale,
    )
    return Envelope.wrap(
        event,
        group_id=callback.group_id,
        estate_id=callback.estate_id,
        aggregate_id=callback.callback_id,
        producer=PRODUCER,
        occurred_at=at,
        recorded_at=at,
        correlation_id=correlation_id,
        causation_id=causation_id,
        event_id=event_id_for(callback.callback_id, "scheduled"),
    )


def _follow_up(row: dict[str, Any], event: Any, what: str, at: datetime) -> Envelope:
    callback_id = row["callback_id"]
    cause = event_id_for(callback_id, "scheduled")  # CallbackScheduled's id: what this event follows
    return Envelope.wrap(
        event,
        group_id=row["group_id"],
        estate_id=row["estate_id"],
        aggregate_id=callback_id,
        producer=PRODUCER,
        occurred_at=at,
        recorded_at=at,
        correlation_id=row.get("correlation_id") or cause,
        causation_id=cause,
        event_id=event_id_for(callback_id, what),
    )


def due(row: dict[str, Any], at: datetime) -> Envelope:
    event = CallbackDue(
        callback_id=row["callback_id"],
        due_at=row["due_at"],
        deadline=row["deadline"],
        method=CallbackMethod(row["method"]),
        caller_role=StaffRole(row["caller_role"]),
    )
    return _follow_up(row, event, "due", at)


def overdue(row: dict[str, Any], at: datetime) -> Envelope:
    path = [StaffRole(r) for r in row.get("escalation") or []]
    event = CallbackOverdue(
        callback_id=row["callback_id"],
        deadline=row["deadline"],
        attempts_made=row.get("attempts_used") or 0,
        escalate_to_role=escalation_after(path, StaffRole(row["caller_role"])),
    )
    return _follow_up(row, event, "overdue", at)


def reopened(
    row: dict[str, Any],
    *,
    next_round: int,
    escalate_to: StaffRole | None,
    reason: str | None,
    cause: Envelope,
    at: datetime,
) -> Envelope:
    event = ComplaintReopened(
        complaint_id=row["source_id"],
        erp_id=row.get("erp_id"),
        callback_id=row["callback_id"],
        round=next_round,
        reason=reason,
        department=row.get("department"),
        escalate_to_role=escalate_to,
    )
    return Envelope.wrap_caused_by(
        event,
        cause,
        group_id=row["group_id"],
        estate_id=row["estate_id"],
        aggregate_id=row["source_id"],
        producer=PRODUCER,
        occurred_at=cause.occurred_at,
        recorded_at=at,
        event_id=event_id_for(row["callback_id"], f"reopened-{next_round}"),
    )
