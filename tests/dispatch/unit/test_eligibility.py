"""R-CB-3: assignment rules one by one, the least-loaded choice, and fairness over many assignments."""

from __future__ import annotations

import statistics
from dataclasses import replace

import pytest
from huifang_contracts.enums import CallbackMethod, RequestKind, StaffRole
from huifang_dispatch.domain.eligibility import Candidate, Requirement, UnassignedReason, choose_assignee

pytestmark = pytest.mark.unit

SC = StaffRole.SERVICE_CENTER_STAFF


def person(staff_id: str, **kw: object) -> Candidate:
    base = Candidate(
        staff_id, SC, "service", door_visits=True, active=True, working=True, open_load=0, assigned_today=0
    )
    return replace(base, **kw)  # type: ignore[arg-type]


PHONE = Requirement(role=SC, method=CallbackMethod.PHONE, kind=RequestKind.REPAIR, department="engineering")


def test_only_the_required_role_is_eligible() -> None:
    staff = [person("a", role=StaffRole.RECEPTIONIST), person("b")]
    assert choose_assignee(PHONE, staff) == staff[1]
    assert choose_assignee(PHONE, staff[:1]) is UnassignedReason.NO_STAFF_IN_ROLE


def test_inactive_staff_are_skipped() -> None:
    assert choose_assignee(PHONE, [person("a", active=False)]) is UnassignedReason.NONE_ACTIVE


def test_staff_off_duty_are_skipped() -> None:
    staff = [person("a", working=False), person("b", open_load=9)]
    assert choose_assignee(PHONE, staff).staff_id == "b"  # type: ignore[union-attr]
    assert choose_assignee(PHONE, staff[:1]) is UnassignedReason.NONE_ON_DUTY


def test_the_original_worker_never_rates_their_own_job() -> None:
    requirement = replace(PHONE, worker_id="a")
    assert choose_assignee(requirement, [person("a"), person("b", open_load=5)]).staff_id == "b"  # type: ignore[union-attr]
    assert choose_assignee(requirement, [person("a")]) is UnassignedReason.ONLY_EXCLUDED


def test_complaint_callers_outside_the_complained_department() -> None:
    # R-CB-3: an office manager calling back on a complaint must not belong to the department rated.
    requirement = Requirement(
        StaffRole.OFFICE_MANAGER, CallbackMethod.DOOR, RequestKind.COMPLAINT, department="cleaning"
    )
    staff = [
        person("m1", role=StaffRole.OFFICE_MANAGER, department="cleaning"),
        person("m2", role=StaffRole.OFFICE_MANAGER, department="management", open_load=3),
    ]
    assert choose_assignee(requirement, staff).staff_id == "m2"  # type: ignore[union-attr]
    assert choose_assignee(requirement, staff[:1]) is UnassignedReason.ONLY_EXCLUDED


def test_general_complaints_go_to_the_head_of_the_complained_department() -> None:
    requirement = Requirement(
        StaffRole.DEPARTMENT_HEAD, CallbackMethod.PHONE, RequestKind.COMPLAINT, department="cleaning"
    )
    heads = [
        person("h1", role=StaffRole.DEPARTMENT_HEAD, department="engineering"),
        person("h2", role=StaffRole.DEPARTMENT_HEAD, department="cleaning", open_load=7),
    ]
    assert choose_assignee(requirement, heads).staff_id == "h2"  # type: ignore[union-attr]
    assert choose_assignee(requirement, heads[:1]) is UnassignedReason.NO_DEPARTMENT_HEAD


def test_door_visits_only_to_staff_who_do_them() -> None:
    door = replace(PHONE, method=CallbackMethod.DOOR)
    staff = [person("a", door_visits=False), person("b", door_visits=True, open_load=4)]
    assert choose_assignee(door, staff).staff_id == "b"  # type: ignore[union-attr]
    assert choose_assignee(door, staff[:1]) is UnassignedReason.NO_DOOR_VISITS


def test_least_loaded_then_fewest_today_then_staff_id() -> None:
    staff = [
        person("c", open_load=1, assigned_today=0),
        person("b", open_load=1, assigned_today=2),
        person("a", open_load=2),
        person("d", open_load=1, assigned_today=0),
    ]
    assert choose_assignee(PHONE, staff).staff_id == "c"  # type: ignore[union-attr]  # c < d by id


def test_fairness_over_many_assignments() -> None:
    # 1,000 callbacks over 7 people, none completed: 1000 = 7 × 142 + 6, so six people get 143 and,
    # by the staff-id tie-break, s6 gets 142.
    load = {f"s{i}": 0 for i in range(7)}
    for _ in range(1000):
        chosen = choose_assignee(PHONE, [person(k, open_load=v, assigned_today=v) for k, v in load.items()])
        assert isinstance(chosen, Candidate)
        load[chosen.staff_id] += 1
    assert load == {"s0": 143, "s1": 143, "s2": 143, "s3": 143, "s4": 143, "s5": 143, "s6": 142}


def test_open_load_stays_within_one_while_callbacks_complete() -> None:
    # Every third assignment is completed at once by its holder: the open loads never spread > 1.
    load = {f"s{i}": 0 for i in range(7)}
    for n in range(1000):
        chosen = choose_assignee(PHONE, [person(k, open_load=v) for k, v in load.items()])
        assert isinstance(chosen, Candidate)
        load[chosen.staff_id] += 1
        if n % 3 == 2:
            load[chosen.staff_id] -= 1
        assert max(load.values()) - min(load.values()) <= 1
    assert statistics.pstdev(load.values()) <= 0.5
