"""R-CB-1, R-CB-3, R-CB-5, R-CB-6, R-CB-7, R-CB-8: what each preset decides for an event."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from huifang_callback.domain.calendar import WorkingCalendar
from huifang_callback.domain.planning import escalation_after, picked_by_percent, plan_for
from huifang_callback.domain.presets import preset_policy
from huifang_callback.domain.sources import Source
from huifang_contracts.enums import CallbackMethod, ComplaintGrade, ComplaintValidity, RequestKind, StaffRole

from tests.callback.unit.sources import T, complaint, order

pytestmark = pytest.mark.unit

CN = WorkingCalendar()
RESIDENTIAL = preset_policy("tianxiacheng")  # the registry's name for the seed-000 preset
COMMERCIAL = preset_policy("commercial")
FULL = preset_policy("full")


def test_r_cb_1_valid_complaint_is_called_back_invalid_is_not() -> None:
    assert plan_for(RESIDENTIAL, complaint(ComplaintGrade.GENERAL, ComplaintValidity.VALID), CN).schedules
    invalid = plan_for(RESIDENTIAL, complaint(ComplaintGrade.GENERAL, ComplaintValidity.INVALID), CN)
    assert not invalid.schedules and invalid.skipped_reason == "no rule matches"


def test_r_cb_1_coordination_complaints_follow_the_policy() -> None:
    coordination = complaint(ComplaintGrade.GENERAL, ComplaintValidity.COORDINATION)
    assert plan_for(RESIDENTIAL, coordination, CN).schedules  # default 100 %
    assert not plan_for(COMMERCIAL, coordination, CN).schedules  # commercial preset: valid only


def test_r_cb_3_major_complaint_manager_door_visit_with_apology_general_head_by_phone() -> None:
    major = plan_for(RESIDENTIAL, complaint(ComplaintGrade.MAJOR, ComplaintValidity.VALID), CN)
    assert (major.caller_role, major.method, major.apology) == (StaffRole.OFFICE_MANAGER, CallbackMethod.DOOR, True)
    general = plan_for(RESIDENTIAL, complaint(ComplaintGrade.GENERAL, ComplaintValidity.VALID), CN)
    assert (general.caller_role, general.method, general.apology) == (
        StaffRole.DEPARTMENT_HEAD,
        CallbackMethod.PHONE,
        False,
    )
    # R-CB-2: 3 working days after Wed 30 Sep 2026 → end of Sat 10 Oct, Beijing.
    assert general.window is not None
    assert general.window.deadline == datetime(2026, 10, 10, 15, 59, 59, tzinfo=UTC)


def test_r_cb_7_urgent_repair_is_due_at_once_general_repair_joins_the_monthly_sample() -> None:
    urgent = plan_for(RESIDENTIAL, order(urgent=True), CN)
    assert urgent.rule is not None and urgent.rule.rule_id == "repair.urgent"
    assert urgent.window is not None and urgent.window.due_at == T
    general = plan_for(RESIDENTIAL, order(), CN)
    assert general.sampled_monthly and not general.schedules  # R-CB-4


def test_r_cb_5_full_preset_calls_back_every_repair() -> None:
    plan = plan_for(FULL, order(), CN)
    assert plan.rule is not None and plan.rule.rule_id == "repair.all" and plan.schedules


def test_r_cb_5_commercial_draws_twenty_percent_reproducibly() -> None:
    ids = [f"WO-{i}" for i in range(10_000)]
    chosen = [i for i in ids if picked_by_percent(COMMERCIAL.policy_id, i, 20)]
    assert 1_900 <= len(chosen) <= 2_100
    first = next(i for i in ids if picked_by_percent(COMMERCIAL.policy_id, i, 20))
    assert plan_for(COMMERCIAL, order(first), CN).schedules
    skipped = next(i for i in ids if not picked_by_percent(COMMERCIAL.policy_id, i, 20))
    assert plan_for(COMMERCIAL, order(skipped), CN).skipped_reason == "not in the 20 % drawn"


def test_r_cb_6_renovation_door_visit_within_seven_days() -> None:
    source = Source("intake.RenovationCompleted", "R-1", RequestKind.RENOVATION, T, unit_id="U-9")
    plan = plan_for(RESIDENTIAL, source, CN)
    assert plan.method == CallbackMethod.DOOR and plan.window is not None
    assert plan.window.deadline == datetime(2026, 10, 7, 15, 59, 59, tzinfo=UTC)  # 30 Sep + 7 days, local


def test_r_cb_8_special_event_manager_door_visit_within_twenty_days() -> None:
    plan = plan_for(RESIDENTIAL, complaint(ComplaintGrade.GENERAL, ComplaintValidity.VALID, special=True), CN)
    assert plan.rule is not None and plan.rule.rule_id == "complaint.special"
    assert (plan.caller_role, plan.method) == (StaffRole.OFFICE_MANAGER, CallbackMethod.DOOR)
    assert plan.window is not None and plan.window.deadline == datetime(2026, 10, 20, 15, 59, 59, tzinfo=UTC)


def test_r_cb_8_other_service_within_one_week() -> None:
    source = Source("intake.ServiceRequestClosed", "S-1", RequestKind.HELP, T)
    plan = plan_for(RESIDENTIAL, source, CN)
    assert plan.rule is not None and plan.rule.rule_id == "request.closed"
    assert plan.window is not None and plan.window.deadline == datetime(2026, 10, 7, 15, 59, 59, tzinfo=UTC)


def test_overdue_escalates_to_the_next_role_of_the_path() -> None:
    path = [StaffRole.DEPARTMENT_HEAD, StaffRole.OFFICE_MANAGER, StaffRole.PROPERTY_DIRECTOR]
    assert escalation_after(path, StaffRole.DEPARTMENT_HEAD) == StaffRole.OFFICE_MANAGER
    assert escalation_after(path, StaffRole.SITE_CAPTAIN) == StaffRole.DEPARTMENT_HEAD
    assert escalation_after(path, StaffRole.PROPERTY_DIRECTOR) is None
