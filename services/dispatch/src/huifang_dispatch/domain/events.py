"""Dispatch's own events, as its streams store them; the public contracts are mapped from them in
`service_layer/outgoing.py`. Past tense, no infra import; times are UTC instants taken from commands.

The assignment of one callback (stream `assignment-<callback id>`): requested (callback's
CallbackScheduled), due, then assigned, queued unassigned, accepted, returned, reassigned, escalated
when overdue, closed by survey's outcome. A decision that changes nothing is still recorded
(`AssignmentDisregarded`), so "why did nothing happen" has an answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import ClassVar

from huifang_dispatch.domain.assignment_state import AssignmentState


@dataclass(frozen=True)
class AssignmentRequested:
    """callback scheduled a callback: what its caller must do (R-CB-3)."""

    TYPE: ClassVar[str] = "dispatch.AssignmentRequested"
    callback_id: str
    group_id: str
    estate_id: str
    due_at: datetime
    deadline: datetime
    method: str
    caller_role: str
    kind: str | None = None
    source_type: str | None = None
    source_id: str | None = None
    window_start: datetime | None = None
    apology: bool = False
    max_attempts: int | None = None
    round: int = 1
    department: str | None = None
    worker_id: str | None = None
    grade: str | None = None
    category: str | None = None
    subcategory: str | None = None
    unit_id: str | None = None
    requester_name: str | None = None
    requester_phone: str | None = None


@dataclass(frozen=True)
class AssignmentDue:
    """The window opened (CallbackDue): its times, method and caller role as callback sent them."""

    TYPE: ClassVar[str] = "dispatch.AssignmentDue"
    callback_id: str
    group_id: str
    estate_id: str
    due_at: datetime
    deadline: datetime
    method: str
    caller_role: str
    at: datetime


@dataclass(frozen=True)
class AssignmentQueued:
    """Nobody eligible: it waits in the unassigned queue with the first filter that left nobody."""

    TYPE: ClassVar[str] = "dispatch.AssignmentQueued"
    reason: str
    escalated_to_role: str
    at: datetime


@dataclass(frozen=True)
class CallbackAssignedTo:
    """First placed with a person (CallbackAssigned); `duty_date` counts toward their day's tie-break."""

    TYPE: ClassVar[str] = "dispatch.CallbackAssignedTo"
    staff_id: str
    role: str
    at: datetime
    duty_date: date
    by: str | None = None


@dataclass(frozen=True)
class CallbackReassignedTo:
    """Moved from its holder to another person (CallbackReassigned): released, overdue, or a manager."""

    TYPE: ClassVar[str] = "dispatch.CallbackReassignedTo"
    previous_id: str
    staff_id: str
    role: str
    reason: str
    at: datetime
    duty_date: date
    by: str | None = None


@dataclass(frozen=True)
class AssignmentAccepted:
    TYPE: ClassVar[str] = "dispatch.AssignmentAccepted"
    staff_id: str
    at: datetime


@dataclass(frozen=True)
class AssignmentReturned:
    """The holder gave it back; the reassignment to the next eligible person follows in the same decision."""

    TYPE: ClassVar[str] = "dispatch.AssignmentReturned"
    staff_id: str
    at: datetime


@dataclass(frozen=True)
class OverdueEscalated:
    """R-CB-3: past the deadline, the callback belongs to the escalation role from now on."""

    TYPE: ClassVar[str] = "dispatch.OverdueEscalated"
    escalated_to_role: str
    at: datetime


@dataclass(frozen=True)
class EscalationStalled:
    """Overdue, and nobody of the escalation role can take it: it stays with its holder, with the reason."""

    TYPE: ClassVar[str] = "dispatch.EscalationStalled"
    reason: str
    at: datetime


@dataclass(frozen=True)
class AttemptCounted:
    """survey counted a contact attempt (R-CB-11); the task stays open between attempts."""

    TYPE: ClassVar[str] = "dispatch.AttemptCounted"
    callback_id: str
    group_id: str
    estate_id: str
    attempt_no: int
    at: datetime


@dataclass(frozen=True)
class AssignmentClosed:
    """survey's outcome: completed or failed; the holder's open load drops once."""

    TYPE: ClassVar[str] = "dispatch.AssignmentClosed"
    callback_id: str
    group_id: str
    estate_id: str
    outcome: str
    at: datetime


@dataclass(frozen=True)
class AssignmentDisregarded:
    """A command that changed nothing, and why (an overdue or a second outcome after the close …)."""

    TYPE: ClassVar[str] = "dispatch.AssignmentDisregarded"
    command: str
    why: str
    at: datetime


@dataclass(frozen=True)
class AssignmentImported:
    """The row of a deployment from before the event store, taken over as the stream's first event."""

    TYPE: ClassVar[str] = "dispatch.AssignmentImported"
    state: AssignmentState


AssignmentEvent = (
    AssignmentRequested
    | AssignmentDue
    | AssignmentQueued
    | CallbackAssignedTo
    | CallbackReassignedTo
    | AssignmentAccepted
    | AssignmentReturned
    | OverdueEscalated
    | EscalationStalled
    | AttemptCounted
    | AssignmentClosed
    | AssignmentDisregarded
    | AssignmentImported
)

ASSIGNMENT_EVENTS: tuple[type[AssignmentEvent], ...] = (
    AssignmentRequested,
    AssignmentDue,
    AssignmentQueued,
    CallbackAssignedTo,
    CallbackReassignedTo,
    AssignmentAccepted,
    AssignmentReturned,
    OverdueEscalated,
    EscalationStalled,
    AttemptCounted,
    AssignmentClosed,
    AssignmentDisregarded,
    AssignmentImported,
)
