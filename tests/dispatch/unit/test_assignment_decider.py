"""The assignment of a callback as given / when / then, without I/O (R-CB-3, R-CB-11; issue 17 §1)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta

import pytest
from huifang_contracts.enums import StaffRole
from huifang_dispatch.domain import assignment as a
from huifang_dispatch.domain.assignment_state import AssignmentState
from huifang_dispatch.domain.eligibility import Candidate
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
from huifang_infra.decider import Decider

pytestmark = pytest.mark.unit

T0 = datetime(2026, 3, 5, 2, 0, tzinfo=UTC)
DAY = date(2026, 3, 5)
SC = StaffRole.SERVICE_CENTER_STAFF
OM = StaffRole.OFFICE_MANAGER
assignment: Decider[a.AssignmentCommand, AssignmentState, AssignmentEvent] = Decider(
    a.initial_state, a.decide, a.evolve
)


def person(staff_id: str, role: StaffRole = SC, load: int = 0, **kw: object) -> Candidate:
    values: dict[str, object] = {"department": None, "door_visits": False, "active": True, "working": True}
    values |= kw
    return Candidate(staff_id=staff_id, role=role, open_load=load, assigned_today=0, **values)  # type: ignore[arg-type]


@dataclass
class Staff:
    """A fixed `StaffOnDuty`: the people of the estate as the decision sees them."""

    people: list[Candidate] = field(default_factory=list)
    duty_date: date = DAY

    def candidates(self, role: StaffRole) -> Sequence[Candidate]:
        return [p for p in self.people if p.role is role]

    def person(self, staff_id: str) -> Candidate | None:
        return next((p for p in self.people if p.staff_id == staff_id), None)


def requested(**kw: object) -> AssignmentRequested:
    values: dict[str, object] = dict(
        callback_id="cb1",
        group_id="G1",
        estate_id="E1",
        due_at=T0,
        deadline=T0 + timedelta(days=2),
        method="phone",
        caller_role=SC.value,
        kind="repair",
        department="engineering",
        worker_id="w1",
    )
    return AssignmentRequested(**(values | kw))  # type: ignore[arg-type]


def due_event(at: datetime = T0) -> AssignmentDue:
    return AssignmentDue("cb1", "G1", "E1", T0, T0 + timedelta(days=2), "phone", SC.value, at)


def mark_due(staff: Staff) -> a.MarkDue:
    return a.MarkDue(due_event(), staff, OM.value)


ASSIGNED_S1 = CallbackAssignedTo("s1", SC.value, T0, DAY)


def test_given_a_request_when_due_then_the_least_loaded_eligible_person_gets_it_R_CB_3() -> None:
    staff = Staff([person("s1", load=2), person("s2", load=1), person("w1", load=0)])
    events = assignment.given_when([requested()], mark_due(staff))
    # w1 did the job and never rates it; s2 has the lighter load.
    assert events == [due_event(), CallbackAssignedTo("s2", SC.value, T0, DAY)]
    state = assignment.fold([requested(), *events])
    assert (state.status, state.assignee_id, state.assigned_at) == ("assigned", "s2", T0)


def test_given_nobody_in_the_role_when_due_then_it_waits_unassigned_with_the_reason_escalated_R_CB_3() -> None:
    events = assignment.given_when([requested()], mark_due(Staff([person("m1", OM)])))
    assert events[1] == AssignmentQueued("no_staff_in_role", OM.value, T0)
    state = assignment.fold([requested(), *events])
    assert (state.status, state.unassigned_reason, state.unassigned_since) == ("unassigned", "no_staff_in_role", T0)
    assert (state.escalated_to_role, state.escalated_at) == (OM.value, T0)


def test_given_an_assigned_callback_when_due_again_then_only_its_times_are_recorded() -> None:
    later = T0 + timedelta(hours=1)
    events = assignment.given_when([requested(), ASSIGNED_S1], a.MarkDue(due_event(later), Staff(), OM.value))
    assert events == [due_event(later)]


def test_given_a_due_without_its_schedule_then_the_due_event_alone_makes_it_placeable() -> None:
    events = assignment.given_when([], mark_due(Staff([person("s1")])))
    assert events == [due_event(), ASSIGNED_S1]
    assert assignment.fold(events).callback_id == "cb1"


def test_given_a_waiting_callback_when_retried_and_still_nobody_for_the_same_reason_then_nothing_is_decided() -> None:
    queued = AssignmentQueued("no_staff_in_role", OM.value, T0)
    assert assignment.given_when([requested(), queued], a.RetryPlacing(T0, Staff(), OM.value)) == []
    # Someone of the role came: placed.
    placed = assignment.given_when([requested(), queued], a.RetryPlacing(T0, Staff([person("s1")]), OM.value))
    assert placed == [ASSIGNED_S1]
    state = assignment.fold([requested(), queued, *placed])
    assert (state.unassigned_reason, state.unassigned_since, state.escalated_to_role) == (None, None, OM.value)


def test_given_an_assigned_callback_when_retried_then_nothing_happens() -> None:
    assert assignment.given_when([requested(), ASSIGNED_S1], a.RetryPlacing(T0, Staff([person("s2")]), OM.value)) == []


def test_given_an_assigned_callback_when_overdue_then_it_moves_to_the_escalation_role_R_CB_3() -> None:
    at = T0 + timedelta(days=3)
    staff = Staff([person("s1"), person("m1", OM)])
    events = assignment.given_when([requested(), ASSIGNED_S1], a.EscalateOverdue(OM.value, at, staff))
    assert events == [
        OverdueEscalated(OM.value, at),
        CallbackReassignedTo("s1", "m1", OM.value, "overdue_escalation", at, DAY),
    ]
    state = assignment.fold([requested(), ASSIGNED_S1, *events])
    assert (state.overdue, state.assignee_id, state.escalated_to_role) == (True, "m1", OM.value)


def test_given_nobody_of_the_escalation_role_when_overdue_then_it_stays_with_its_holder_flagged() -> None:
    at = T0 + timedelta(days=3)
    events = assignment.given_when([requested(), ASSIGNED_S1], a.EscalateOverdue(OM.value, at, Staff([person("s1")])))
    assert events == [OverdueEscalated(OM.value, at), EscalationStalled("no_staff_in_role", at)]
    state = assignment.fold([requested(), ASSIGNED_S1, *events])
    assert (state.status, state.assignee_id, state.unassigned_reason) == ("assigned", "s1", "no_staff_in_role")


def test_given_a_holder_of_the_escalation_role_when_overdue_then_it_is_only_flagged() -> None:
    held = CallbackAssignedTo("m1", OM.value, T0, DAY)
    events = assignment.given_when([requested(), held], a.EscalateOverdue(OM.value, T0, Staff([person("m2", OM)])))
    assert events == [OverdueEscalated(OM.value, T0)]


def test_given_a_waiting_callback_when_overdue_and_nobody_can_take_it_then_it_is_queued_for_the_role() -> None:
    events = assignment.given_when([requested()], a.EscalateOverdue(OM.value, T0, Staff()))
    assert events == [OverdueEscalated(OM.value, T0), AssignmentQueued("no_staff_in_role", OM.value, T0)]
    # Retried later, it looks for the escalation role now, not the caller role it asked for.
    state = assignment.fold([requested(), *events])
    assert a.wanted_role(state) is OM


def test_given_a_closed_callback_when_overdue_then_the_decision_to_do_nothing_is_recorded() -> None:
    closed = AssignmentClosed("cb1", "G1", "E1", "completed", T0)
    events = assignment.given_when([requested(), ASSIGNED_S1, closed], a.EscalateOverdue(OM.value, T0, Staff()))
    assert events == [AssignmentDisregarded("escalate_overdue", "already completed", T0)]
    assert assignment.given_when([], a.EscalateOverdue(OM.value, T0, Staff())) == [
        AssignmentDisregarded("escalate_overdue", "not known yet", T0)
    ]


def test_attempts_are_counted_upward_only_R_CB_11() -> None:
    events = [
        requested(),
        AttemptCounted("cb1", "G1", "E1", 2, T0 + timedelta(hours=2)),
        AttemptCounted("cb1", "G1", "E1", 1, T0 + timedelta(hours=1)),
    ]
    state = assignment.fold(events)
    assert (state.attempts_made, state.last_attempt_at) == (2, T0 + timedelta(hours=2))
    assert assignment.given_when(events, a.CountAttempt(events[1])) == [events[1]]  # type: ignore[list-item]


def test_an_outcome_closes_once_and_drops_the_holders_load() -> None:
    closed = AssignmentClosed("cb1", "G1", "E1", "completed", T0)
    history = [requested(), ASSIGNED_S1]
    assert assignment.given_when(history, a.CloseAssignment(closed)) == [closed]
    assert a.load_moves(assignment.fold(history), [closed]) == [a.LoadMove("s1", -1)]
    failed = AssignmentClosed("cb1", "G1", "E1", "failed", T0)
    assert assignment.given_when([*history, closed], a.CloseAssignment(failed)) == [
        AssignmentDisregarded("close", "already completed", T0)
    ]


def test_an_outcome_before_the_schedule_leaves_a_closed_row_that_a_later_due_does_not_place() -> None:
    closed = AssignmentClosed("cb1", "G1", "E1", "failed", T0)
    state = assignment.fold([closed])
    assert (state.status, state.due_at, state.caller_role, state.closed_at) == ("failed", T0, "", T0)
    assert assignment.given_when([closed], mark_due(Staff([person("s1")]))) == [due_event()]


def test_only_the_holder_accepts_and_only_once() -> None:
    history = [requested(), ASSIGNED_S1]
    with pytest.raises(Forbidden):
        assignment.given_when(history, a.Accept("s2", T0))
    assert assignment.given_when(history, a.Accept("s1", T0)) == [AssignmentAccepted("s1", T0)]
    with pytest.raises(Conflict):
        assignment.given_when([*history, AssignmentAccepted("s1", T0)], a.Accept("s1", T0))
    with pytest.raises(NotFound):
        assignment.given_when([], a.Accept("s1", T0))


def test_release_goes_to_the_next_eligible_person_never_the_holder_again_R_CB_3() -> None:
    history = [requested(), ASSIGNED_S1, AssignmentAccepted("s1", T0)]
    staff = Staff([person("s1", load=0), person("s2", load=4)])
    events = assignment.given_when(history, a.Release("s1", T0, staff))
    assert events == [
        AssignmentReturned("s1", T0),
        CallbackReassignedTo("s1", "s2", SC.value, "staff_unavailable", T0, DAY, by="s1"),
    ]
    state = assignment.fold([*history, *events])
    assert (state.status, state.assignee_id, state.accepted_at) == ("assigned", "s2", None)
    with pytest.raises(Conflict):
        assignment.given_when(history, a.Release("s1", T0, Staff([person("s1")])))


def test_a_manager_reassigns_within_the_hard_rules() -> None:
    history = [requested(method="door"), ASSIGNED_S1]
    staff = Staff(
        [
            person("s1", door_visits=True),
            person("s2", door_visits=False),
            person("s3", active=False, door_visits=True),
            person("w1", door_visits=True),
            person("d1", door_visits=True, working=False),  # the roster is the manager's to judge
        ]
    )
    for refused in ("s2", "s3", "w1", "x9"):
        with pytest.raises(InputInvalid):
            assignment.given_when(history, a.Reassign(refused, "boss", T0, staff))
    with pytest.raises(Conflict):
        assignment.given_when(history, a.Reassign("s1", "boss", T0, staff))
    assert assignment.given_when(history, a.Reassign("d1", "boss", T0, staff)) == [
        CallbackReassignedTo("s1", "d1", SC.value, "manual", T0, DAY, by="boss")
    ]
    # A waiting callback reassigned by a manager is a first assignment, by them.
    queued = AssignmentQueued("none_on_duty", OM.value, T0)
    assert assignment.given_when([requested(method="door"), queued], a.Reassign("d1", "boss", T0, staff)) == [
        CallbackAssignedTo("d1", SC.value, T0, DAY, by="boss")
    ]


def test_the_load_moves_of_a_reassignment_leave_one_and_reach_the_other() -> None:
    moved = CallbackReassignedTo("s1", "s2", SC.value, "manual", T0, DAY)
    assert a.load_moves(assignment.fold([requested(), ASSIGNED_S1]), [moved]) == [
        a.LoadMove("s1", -1),
        a.LoadMove("s2", 1, DAY),
    ]


def test_an_imported_row_becomes_the_first_event_and_only_of_a_new_stream() -> None:
    state = replace(assignment.fold([requested(), ASSIGNED_S1]), attempts_made=2)
    assert assignment.given_when([], a.ImportAssignment(state)) == [AssignmentImported(state)]
    assert assignment.fold([AssignmentImported(state)]) == state
    assert assignment.given_when([requested()], a.ImportAssignment(state)) == []
    assert a.load_moves(a.initial_state(), [AssignmentImported(state)]) == [a.LoadMove("s1", 1)]


def test_every_assignment_event_survives_the_event_store_round_trip() -> None:
    from huifang_dispatch.service_layer.assigning import CODEC

    state = assignment.fold([requested(), ASSIGNED_S1])
    samples: list[AssignmentEvent] = [
        requested(),
        due_event(),
        AssignmentQueued("none_on_duty", OM.value, T0),
        ASSIGNED_S1,
        CallbackReassignedTo("s1", "s2", SC.value, "manual", T0, DAY, by="boss"),
        AssignmentAccepted("s1", T0),
        AssignmentReturned("s1", T0),
        OverdueEscalated(OM.value, T0),
        EscalationStalled("no_staff_in_role", T0),
        AttemptCounted("cb1", "G1", "E1", 1, T0),
        AssignmentClosed("cb1", "G1", "E1", "completed", T0),
        AssignmentDisregarded("close", "already completed", T0),
        AssignmentImported(state),
    ]
    assert {type(e) for e in samples} == set(a.__dict__["AssignmentEvent"].__args__)
    for event in samples:
        assert CODEC.decode(CODEC.type_of(event), CODEC.encode(event)) == event
