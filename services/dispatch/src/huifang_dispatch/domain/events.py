"""Dispatch's own events, as its streams store them; the public contracts are mapped from them in
`service_layer/outgoing.py`. Past tense, no infra import; times are UTC instants taken from commands.

The assignment of one callback (stream `assignment-<callback id>`): requested (callback's
CallbackScheduled), due, then assigned, queued unassigned, accepted, returned, reassigned, escalated
when overdue, closed by survey's outcome. A decision that changes nothing is still recorded
(`AssignmentDisregarded`), so "why did nothing happen" has an answer.

The handover book of one service center: items opened, handed over (signed by the outgoing person,
with what it carried), taken over (signed by the incoming one), items closed or escalated.
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


# -- the handover book of a service center (stream `handover-<group>:<estate>:<center>`, R-OP-3) ----------


@dataclass(frozen=True)
class BookKey:
    """Whose handover book: a service center of an estate."""

    group_id: str
    estate_id: str
    service_center: str


@dataclass(frozen=True)
class HandoverItemOpened:
    """An item to hand over: it stays on every handover until someone closes it."""

    TYPE: ClassVar[str] = "dispatch.HandoverItemOpened"
    book: BookKey
    item_id: str
    title: str
    detail: str | None
    important: bool
    opened_by: str
    opened_at: datetime
    opened_in: str | None = None


@dataclass(frozen=True)
class CarriedItem:
    item_id: str
    status: str


@dataclass(frozen=True)
class HandedOver:
    """The outgoing person handed over and signed; `carried` is what the next shift inherits, as it stood."""

    TYPE: ClassVar[str] = "dispatch.HandedOver"
    book: BookKey
    handover_id: str
    duty_date: date
    outgoing_id: str
    incoming_id: str
    notes: str | None
    at: datetime
    carried: tuple[CarriedItem, ...]


@dataclass(frozen=True)
class HandoverTakenOver:
    """The incoming person signed: the handover is complete."""

    TYPE: ClassVar[str] = "dispatch.HandoverTakenOver"
    handover_id: str
    by: str
    at: datetime


@dataclass(frozen=True)
class HandoverItemClosed:
    TYPE: ClassVar[str] = "dispatch.HandoverItemClosed"
    item_id: str
    by: str
    at: datetime
    note: str | None = None


@dataclass(frozen=True)
class HandoverItemEscalated:
    """An important item passed to a supervisor: it no longer blocks a handover."""

    TYPE: ClassVar[str] = "dispatch.HandoverItemEscalated"
    item_id: str
    to: str
    by: str
    at: datetime
    note: str | None = None


@dataclass(frozen=True)
class HandoverRow:
    handover_id: str
    duty_date: date
    outgoing_id: str
    incoming_id: str
    notes: str | None
    status: str
    outgoing_signed_at: datetime
    incoming_signed_at: datetime | None = None


@dataclass(frozen=True)
class HandoverItemRow:
    item_id: str
    title: str
    detail: str | None
    important: bool
    status: str
    opened_by: str
    opened_at: datetime
    opened_in: str | None = None
    escalated_to: str | None = None
    escalated_by: str | None = None
    escalated_at: datetime | None = None
    escalation_note: str | None = None
    closed_by: str | None = None
    closed_at: datetime | None = None
    close_note: str | None = None


@dataclass(frozen=True)
class CarriedRow:
    handover_id: str
    item_id: str
    status_at_handover: str


@dataclass(frozen=True)
class HandoverBookImported:
    """A service center's handover rows from before the event store, whole: handovers, items (in their
    order), and what each handover carried — a rebuild gives every row back from this one event."""

    TYPE: ClassVar[str] = "dispatch.HandoverBookImported"
    book: BookKey
    handovers: tuple[HandoverRow, ...]
    items: tuple[HandoverItemRow, ...]
    carried: tuple[CarriedRow, ...]


HandoverEvent = (
    HandoverItemOpened
    | HandedOver
    | HandoverTakenOver
    | HandoverItemClosed
    | HandoverItemEscalated
    | HandoverBookImported
)
HANDOVER_EVENTS: tuple[type[HandoverEvent], ...] = (
    HandoverItemOpened,
    HandedOver,
    HandoverTakenOver,
    HandoverItemClosed,
    HandoverItemEscalated,
    HandoverBookImported,
)


# -- the duty log of a service center's duty day (stream `duty-log-<group>:<estate>:<center>:<date>`, R-OP-3) -


@dataclass(frozen=True)
class DutyDayKey:
    group_id: str
    estate_id: str
    service_center: str
    duty_date: date


@dataclass(frozen=True)
class DutyLogEntryWritten:
    """An entry (or a correction naming the entry it corrects: nothing is ever edited). Its time of writing
    is the event's, stamped by the database when it was stored."""

    TYPE: ClassVar[str] = "dispatch.DutyLogEntryWritten"
    day: DutyDayKey
    entry_id: int
    kind: str  # entry | correction
    author_id: str
    author_role: str
    body: str
    corrects_entry_id: int | None = None


@dataclass(frozen=True)
class DutyLogSignedOff:
    """The supervisor checked the day's log and signed it, once (检查值班记录并签名确认)."""

    TYPE: ClassVar[str] = "dispatch.DutyLogSignedOff"
    day: DutyDayKey
    entry_id: int
    author_id: str
    author_role: str
    body: str


@dataclass(frozen=True)
class DutyLogRow:
    entry_id: int
    kind: str
    author_id: str
    author_role: str
    body: str
    corrects_entry_id: int | None
    recorded_at: datetime


@dataclass(frozen=True)
class DutyDayImported:
    """A duty day's entries from before the event store, with their ids and times of writing."""

    TYPE: ClassVar[str] = "dispatch.DutyDayImported"
    day: DutyDayKey
    entries: tuple[DutyLogRow, ...]


DutyLogEvent = DutyLogEntryWritten | DutyLogSignedOff | DutyDayImported
DUTY_LOG_EVENTS: tuple[type[DutyLogEvent], ...] = (DutyLogEntryWritten, DutyLogSignedOff, DutyDayImported)


# -- the roster of a service center's month (stream `roster-<roster id>`, R-OP-3) -----------------------------


@dataclass(frozen=True)
class Shift:
    duty_date: date
    staff_id: str


@dataclass(frozen=True)
class RosterDrafted:
    """A month's roster begun (值班安排表): whose it is and who made it."""

    TYPE: ClassVar[str] = "dispatch.RosterDrafted"
    roster_id: str
    group_id: str
    estate_id: str
    service_center: str
    month: str
    by: str
    at: datetime


@dataclass(frozen=True)
class RosterShiftsSet:
    """The draft's shifts, all of them (a save replaces the earlier ones)."""

    TYPE: ClassVar[str] = "dispatch.RosterShiftsSet"
    shifts: tuple[Shift, ...]
    by: str
    at: datetime


@dataclass(frozen=True)
class RosterPublished:
    """Every day covered; `late` once the month had begun (R-OP-3 asks for it before)."""

    TYPE: ClassVar[str] = "dispatch.RosterPublished"
    by: str
    at: datetime
    late: bool


@dataclass(frozen=True)
class RosterChangeRequested:
    """Leave (maybe with a substitute) or a swap; it changes nothing until a supervisor approves."""

    TYPE: ClassVar[str] = "dispatch.RosterChangeRequested"
    change_id: str
    kind: str
    duty_date: date
    staff_id: str
    requested_by: str
    at: datetime
    substitute_id: str | None = None
    swap_date: date | None = None
    reason: str | None = None


@dataclass(frozen=True)
class RosterChangeDecided:
    """A supervisor approved or rejected a change (未批准前，不允许私自调班)."""

    TYPE: ClassVar[str] = "dispatch.RosterChangeDecided"
    change_id: str
    status: str  # approved | rejected
    by: str
    at: datetime


@dataclass(frozen=True)
class RosterRow:
    roster_id: str
    group_id: str
    estate_id: str
    service_center: str
    month: str
    status: str
    created_by: str
    created_at: datetime
    published_by: str | None
    published_at: datetime | None
    published_late: bool


@dataclass(frozen=True)
class RosterChangeRow:
    change_id: str
    kind: str
    duty_date: date
    staff_id: str
    substitute_id: str | None
    swap_date: date | None
    reason: str | None
    status: str
    requested_by: str
    requested_at: datetime
    decided_by: str | None
    decided_at: datetime | None


@dataclass(frozen=True)
class RosterImported:
    """A roster from before the event store with its shifts and changes, whole."""

    TYPE: ClassVar[str] = "dispatch.RosterImported"
    roster: RosterRow
    shifts: tuple[Shift, ...]
    changes: tuple[RosterChangeRow, ...]


RosterEvent = (
    RosterDrafted | RosterShiftsSet | RosterPublished | RosterChangeRequested | RosterChangeDecided | RosterImported
)
ROSTER_EVENTS: tuple[type[RosterEvent], ...] = (
    RosterDrafted,
    RosterShiftsSet,
    RosterPublished,
    RosterChangeRequested,
    RosterChangeDecided,
    RosterImported,
)
