"""Dispatch's own events → its public contracts, one function per event that is published.

The repository hands over what each command decided; `published` maps each of its events through
`MAPPINGS` (by the event's class, the one table), enveloped as caused by the command's cause so one
caused by an incoming event continues that event's correlation chain. The envelope's id is the stored
event's id: the message on Kafka and the fact in the store are the same thing, findable by one id.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import UUID

from huifang_contracts.base import IntegrationEvent
from huifang_contracts.dispatch import CallbackAssigned, CallbackReassigned
from huifang_contracts.enums import ReassignReason, StaffRole
from huifang_contracts.envelope import Envelope
from huifang_infra.repository import Cause, Decided

from huifang_dispatch.domain.assignment_state import AssignmentState
from huifang_dispatch.domain.events import CallbackAssignedTo, CallbackReassignedTo

PRODUCER = "dispatch"


def assigned(event: CallbackAssignedTo, state: AssignmentState) -> CallbackAssigned:
    return CallbackAssigned(
        callback_id=state.callback_id,
        assignee_id=event.staff_id,
        assignee_role=StaffRole(event.role),
        assigned_by=event.by,
        deadline=state.deadline,
    )


def reassigned(event: CallbackReassignedTo, state: AssignmentState) -> CallbackReassigned:
    return CallbackReassigned(
        callback_id=state.callback_id,
        previous_assignee_id=event.previous_id,
        assignee_id=event.staff_id,
        assignee_role=StaffRole(event.role),
        reason=ReassignReason(event.reason),
        reassigned_by=event.by,
        deadline=state.deadline,
    )


MAPPINGS: dict[type[Any], Callable[[Any, AssignmentState], IntegrationEvent]] = {
    CallbackAssignedTo: assigned,
    CallbackReassignedTo: reassigned,
}


def published(decided: Decided[Any, AssignmentState, Any]) -> list[Envelope]:
    """The integration events of one decision, in the order the aggregate raised them."""
    state, cause = decided.state, decided.cause
    envelopes = []
    for event, event_id in zip(decided.events, decided.event_ids, strict=True):
        mapping = MAPPINGS.get(type(event))
        if mapping is None:
            continue
        envelopes.append(_envelope(mapping(event, state), state, event.at, event_id, cause))
    return envelopes


def _envelope(event: IntegrationEvent, state: AssignmentState, at: datetime, event_id: UUID, cause: Cause) -> Envelope:
    return Envelope.wrap(
        event,
        group_id=state.group_id or cause.group_id,
        estate_id=state.estate_id or cause.estate_id or "",
        aggregate_id=state.callback_id,
        producer=PRODUCER,
        occurred_at=at,
        recorded_at=at,
        correlation_id=cause.correlation_id,
        causation_id=cause.causation_id,
        event_id=event_id,
    )
