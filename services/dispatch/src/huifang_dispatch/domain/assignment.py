"""The assignment of one callback as a decider (R-CB-3): who holds it, why nobody does, and when it moved.

Commands that choose a person carry the estate's staff as the decision sees them (`StaffOnDuty`: the
candidates with their open load, who is working on the duty day); the service layer reads and locks
them, and keeps their loads current between the commands of one poll. Nothing here reads a clock or
a table: time arrives in the command, people arrive in the view.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Protocol

from huifang_contracts.enums import CallbackMethod, ReassignReason, RequestKind, StaffRole

from huifang_dispatch.domain.assignment_state import CLOSED, OPEN, WAITING, AssignmentState
from huifang_dispatch.domain.eligibility import Candidate, Requirement, UnassignedReason, choose_assignee
from huifang_dispatch.domain.errors import Conflict, Forbidden, InputInvalid, NotFound
from huifang_dispatch.domain.events import (
    AssignmentAccepted,
    AssignmentClosed,
    AssignmentDisregarded,
    AssignmentDue,
    AssignmentEvent,
    AssignmentImported,
    AssignmentQueued,
    AssignmentRequested,
    AssignmentReturned,
    AttemptCounted,
    CallbackAssignedTo,
    CallbackReassignedTo,
    EscalationStalled,
    OverdueEscalated,
)


def stream_id(callback_id: str) -> str:
    return f"assignment-{callback_id}"


class StaffOnDuty(Protocol):
    """An estate's staff at the moment of one decision."""

    @property
    def duty_date(self) -> date: ...

    def candidates(self, role: StaffRole) -> Sequence[Candidate]: ...

    def person(self, staff_id: str) -> Candidate | None: ...


# -- commands -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RequestAssignment:
    requested: AssignmentRequested


@dataclass(frozen=True)
class MarkDue:
    due: AssignmentDue
    staff: StaffOnDuty
    escalation_role: str


@dataclass(frozen=True)
class RetryPlacing:
    at: datetime
    staff: StaffOnDuty
    escalation_role: str


@dataclass(frozen=True)
class EscalateOverdue:
    role: str
    at: datetime
    staff: StaffOnDuty


@dataclass(frozen=True)
class CountAttempt:
    attempted: AttemptCounted


@dataclass(frozen=True)
class CloseAssignment:
    closed: AssignmentClosed


@dataclass(frozen=True)
class Accept:
    staff_id: str
    at: datetime


@dataclass(frozen=True)
class Release:
    staff_id: str
    at: datetime
    staff: StaffOnDuty


@dataclass(frozen=True)
class Reassign:
    assignee_id: str
    by: str
    at: datetime
    staff: StaffOnDuty


@dataclass(frozen=True)
class ImportAssignment:
    state: AssignmentState


AssignmentCommand = (
    RequestAssignment
    | MarkDue
    | RetryPlacing
    | EscalateOverdue
    | CountAttempt
    | CloseAssignment
    | Accept
    | Release
    | Reassign
    | ImportAssignment
)


# -- deciding -------------------------------------------------------------------------------------


def initial_state() -> AssignmentState:
    return AssignmentState()


def wanted_role(state: AssignmentState) -> StaffRole:
    """The role a waiting callback needs: the escalation role once overdue, else the one it asked for."""
    if state.overdue and state.escalated_to_role:
        return StaffRole(state.escalated_to_role)
    return StaffRole(state.caller_role)


def _choose(
    state: AssignmentState, staff: StaffOnDuty, role: StaffRole, excluded: frozenset[str] = frozenset()
) -> Candidate | UnassignedReason:
    requirement = Requirement(
        role=role,
        method=CallbackMethod(state.method),
        kind=RequestKind(state.kind) if state.kind else None,
        department=state.department,
        worker_id=state.worker_id,
        excluded=excluded,
    )
    return choose_assignee(requirement, staff.candidates(role))


def _hand_to(
    state: AssignmentState,
    person: Candidate,
    at: datetime,
    duty_date: date,
    *,
    by: str | None = None,
    reason: ReassignReason = ReassignReason.MANUAL,
) -> CallbackAssignedTo | CallbackReassignedTo:
    if state.holder:
        return CallbackReassignedTo(state.holder, person.staff_id, person.role.value, reason.value, at, duty_date, by)
    return CallbackAssignedTo(person.staff_id, person.role.value, at, duty_date, by)


def _place_or_queue(state: AssignmentState, staff: StaffOnDuty, at: datetime, escalation_role: str) -> AssignmentEvent:
    """R-CB-3: assign now; nobody eligible → the unassigned queue with the reason, escalated."""
    chosen = _choose(state, staff, wanted_role(state))
    if isinstance(chosen, Candidate):
        return _hand_to(state, chosen, at, staff.duty_date)
    return AssignmentQueued(chosen.value, state.escalated_to_role or escalation_role, at)


def decide(command: AssignmentCommand, state: AssignmentState) -> list[AssignmentEvent]:
    match command:
        case RequestAssignment(requested):
            return [requested]
        case MarkDue(due, staff, escalation_role):
            after = evolve(state, due)
            if after.status not in WAITING:
                return [due]  # already placed, or already answered before it fell due
            return [due, _place_or_queue(after, staff, due.at, escalation_role)]
        case RetryPlacing(at, staff, escalation_role):
            return _retry(state, staff, at, escalation_role)
        case EscalateOverdue(role, at, staff):
            return _escalate(state, role, at, staff)
        case CountAttempt(attempted):
            return [attempted]  # R-CB-11: the count is shown to whoever holds it
        case CloseAssignment(closed):
            if state.status in CLOSED:
                return [AssignmentDisregarded("close", f"already {state.status}", closed.at)]
            return [closed]
        case Accept(staff_id, at):
            _check_holder(state, staff_id, "accepts")
            if state.status == "accepted":
                raise Conflict("already accepted")
            return [AssignmentAccepted(staff_id, at)]
        case Release(staff_id, at, staff):
            return _release(state, staff_id, at, staff)
        case Reassign(assignee_id, by, at, staff):
            return _reassign(state, assignee_id, by, at, staff)
        case ImportAssignment(imported):
            return [] if state.status != "new" else [AssignmentImported(imported)]
    raise TypeError(f"not an assignment command: {command!r}")


def _retry(state: AssignmentState, staff: StaffOnDuty, at: datetime, escalation_role: str) -> list[AssignmentEvent]:
    """The unassigned queue tried again; still nobody for the same reason is no new decision."""
    if state.status != "unassigned":
        return []  # placed meanwhile by a consumer or a manager
    event = _place_or_queue(state, staff, at, escalation_role)
    if isinstance(event, AssignmentQueued) and event.reason == state.unassigned_reason:
        return []
    return [event]


def _escalate(state: AssignmentState, role: str, at: datetime, staff: StaffOnDuty) -> list[AssignmentEvent]:
    """An overdue callback goes to the escalation role; its current holder is not chosen again."""
    if not state.known or state.status in CLOSED:
        why = "not known yet" if not state.known else f"already {state.status}"
        return [AssignmentDisregarded("escalate_overdue", why, at)]
    escalated = OverdueEscalated(role, at)
    holder = state.holder
    if holder and state.assignee_role == role:
        return [escalated]  # already with the escalation role
    after = evolve(state, escalated)
    chosen = _choose(after, staff, StaffRole(role), frozenset({holder}) if holder else frozenset())
    if isinstance(chosen, Candidate):
        return [escalated, _hand_to(after, chosen, at, staff.duty_date, reason=ReassignReason.OVERDUE_ESCALATION)]
    if holder:
        # Nobody of the escalation role can take it: it stays with its holder, flagged, with the reason.
        return [escalated, EscalationStalled(chosen.value, at)]
    return [escalated, AssignmentQueued(chosen.value, role, at)]


def _check_holder(state: AssignmentState, staff_id: str, verb: str) -> None:
    if not state.known:
        raise NotFound("callback not found")
    if state.assignee_id != staff_id or state.status not in OPEN:
        raise Forbidden(f"only the person holding the callback {verb} it")


def _release(state: AssignmentState, staff_id: str, at: datetime, staff: StaffOnDuty) -> list[AssignmentEvent]:
    """The holder gives it back; the next eligible person gets it (never the holder again)."""
    _check_holder(state, staff_id, "releases")
    role = wanted_role(state) if state.overdue else StaffRole(state.assignee_role or state.caller_role)
    chosen = _choose(state, staff, role, frozenset({staff_id}))
    if not isinstance(chosen, Candidate):
        # Survey must always know who holds an assigned callback: with nobody to take it, it stays.
        raise Conflict(f"no one else can take it ({chosen.label_zh}); ask a manager to reassign")
    moved = _hand_to(state, chosen, at, staff.duty_date, by=staff_id, reason=ReassignReason.STAFF_UNAVAILABLE)
    return [AssignmentReturned(staff_id, at), moved]


def _reassign(
    state: AssignmentState, assignee_id: str, by: str, at: datetime, staff: StaffOnDuty
) -> list[AssignmentEvent]:
    """A manager's choice of person; role and roster are theirs to judge, the hard rules still hold."""
    if not state.known:
        raise NotFound("callback not found")
    if state.status not in OPEN | WAITING:
        raise Conflict(f"the callback is {state.status}")
    target = staff.person(assignee_id)
    if target is None:
        raise InputInvalid("assignee_id", "not a staff member of the callback's estate")
    if not target.active:
        raise InputInvalid("assignee_id", "this staff member is inactive")
    if assignee_id == state.worker_id:
        raise InputInvalid("assignee_id", "the worker who did the original job may not call back on it")
    if state.method == CallbackMethod.DOOR.value and not target.door_visits:
        raise InputInvalid("assignee_id", "this staff member does not do door visits")
    if state.holder == assignee_id:
        raise Conflict("the callback is already theirs")
    return [_hand_to(state, target, at, staff.duty_date, by=by, reason=ReassignReason.MANUAL)]


# -- folding --------------------------------------------------------------------------------------


def evolve(state: AssignmentState, event: AssignmentEvent) -> AssignmentState:
    match event:
        case AssignmentRequested():
            return replace(
                state,
                callback_id=event.callback_id,
                group_id=state.group_id or event.group_id,
                estate_id=state.estate_id or event.estate_id,
                status="scheduled" if state.status == "new" else state.status,
                due_at=event.due_at,
                deadline=event.deadline,
                method=event.method,
                caller_role=event.caller_role,
                kind=event.kind,
                source_type=event.source_type,
                source_id=event.source_id,
                window_start=event.window_start,
                apology=event.apology,
                max_attempts=event.max_attempts,
                round=event.round,
                department=event.department,
                worker_id=event.worker_id,
                grade=event.grade,
                category=event.category,
                subcategory=event.subcategory,
                unit_id=event.unit_id,
                requester_name=event.requester_name,
                requester_phone=event.requester_phone,
            )
        case AssignmentDue():
            return replace(
                state,
                callback_id=event.callback_id,
                group_id=state.group_id or event.group_id,
                estate_id=state.estate_id or event.estate_id,
                status="scheduled" if state.status == "new" else state.status,
                due_at=event.due_at,
                deadline=event.deadline,
                method=event.method,
                caller_role=event.caller_role,
            )
        case AssignmentQueued():
            return replace(
                state,
                status="unassigned",
                assignee_id=None,
                assignee_role=None,
                unassigned_reason=event.reason,
                unassigned_since=state.unassigned_since or event.at,
                escalated_to_role=event.escalated_to_role,
                escalated_at=state.escalated_at or event.at,
            )
        case CallbackAssignedTo() | CallbackReassignedTo():
            return replace(
                state,
                status="assigned",
                assignee_id=event.staff_id,
                assignee_role=event.role,
                assigned_at=event.at,
                accepted_at=None,
                unassigned_reason=None,
                unassigned_since=None,
            )
        case AssignmentAccepted():
            return replace(state, status="accepted", accepted_at=event.at)
        case OverdueEscalated():
            return replace(
                state,
                overdue=True,
                escalated_to_role=event.escalated_to_role,
                escalated_at=state.escalated_at or event.at,
            )
        case EscalationStalled():
            return replace(state, unassigned_reason=event.reason)
        case AttemptCounted():
            return replace(
                state,
                callback_id=event.callback_id,
                group_id=state.group_id or event.group_id,
                estate_id=state.estate_id or event.estate_id,
                attempts_made=max(state.attempts_made, event.attempt_no),
                last_attempt_at=_later(state.last_attempt_at, event.at),
            )
        case AssignmentClosed():
            known = state.known
            return replace(
                state,
                callback_id=event.callback_id,
                group_id=state.group_id or event.group_id,
                estate_id=state.estate_id or event.estate_id,
                # An outcome before we saw the callback (topics are not ordered with each other).
                due_at=state.due_at if known else event.at,
                deadline=state.deadline if known else event.at,
                caller_role=state.caller_role if known else "",
                status=event.outcome,
                closed_at=event.at,
            )
        case AssignmentImported():
            return event.state
        case AssignmentReturned() | AssignmentDisregarded():
            return state
    raise TypeError(f"not an assignment event: {event!r}")


def _later(a: datetime | None, b: datetime) -> datetime:
    return b if a is None or b > a else a


# -- load -----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LoadMove:
    """One open callback more or less for a person; `duty_date` when it counts as that day's assignment."""

    staff_id: str
    delta: int
    duty_date: date | None = None


def load_moves(before: AssignmentState, events: Iterable[AssignmentEvent]) -> list[LoadMove]:
    """How the decided events move the open load of the people involved (R-CB-3 balances on it)."""
    moves: list[LoadMove] = []
    state = before
    for event in events:
        match event:
            case CallbackAssignedTo():
                moves.append(LoadMove(event.staff_id, 1, event.duty_date))
            case CallbackReassignedTo():
                moves += [LoadMove(event.previous_id, -1), LoadMove(event.staff_id, 1, event.duty_date)]
            case AssignmentClosed() if state.holder:
                moves.append(LoadMove(state.holder, -1))
            case AssignmentImported() if event.state.holder:
                moves.append(LoadMove(event.state.holder, 1))
        state = evolve(state, event)
    return moves
