"""R-OP-3: duty runs 08:30 → 08:30 estate-local; which duty day an instant belongs to."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from huifang_contracts.enums import StaffRole
from huifang_dispatch.domain.duty import duty_date_at, duty_window, month_days
from huifang_dispatch.domain.roster import ApprovedChange, duty_facts, effective_duty, published_late, uncovered_days

pytestmark = pytest.mark.unit

SHANGHAI = ZoneInfo("Asia/Shanghai")
SC, MANAGER = StaffRole.SERVICE_CENTER_STAFF, StaffRole.OFFICE_MANAGER


def test_seven_in_the_morning_belongs_to_the_previous_days_duty() -> None:
    # 2026-03-05 07:00 Shanghai = 2026-03-04 23:00 UTC: the shift that began 03-04 08:30 is still on.
    assert duty_date_at(datetime(2026, 3, 4, 23, 0, tzinfo=UTC), SHANGHAI) == date(2026, 3, 4)


def test_the_boundary_is_0830_local_inclusive_for_the_new_day() -> None:
    just_before = datetime(2026, 3, 5, 8, 29, 59, tzinfo=SHANGHAI)
    at_boundary = datetime(2026, 3, 5, 8, 30, tzinfo=SHANGHAI)
    assert duty_date_at(just_before, SHANGHAI) == date(2026, 3, 4)
    assert duty_date_at(at_boundary, SHANGHAI) == date(2026, 3, 5)
    # 00:30 UTC is 08:30 in Shanghai: the UTC date and the duty date agree only by coincidence here.
    assert duty_date_at(datetime(2026, 3, 5, 0, 30, tzinfo=UTC), SHANGHAI) == date(2026, 3, 5)


def test_the_window_is_24_hours_from_0830() -> None:
    start, end = duty_window(date(2026, 3, 31), SHANGHAI)
    assert start.astimezone(UTC) == datetime(2026, 3, 31, 0, 30, tzinfo=UTC)
    assert end.astimezone(UTC) == datetime(2026, 4, 1, 0, 30, tzinfo=UTC)


def test_naive_instants_are_refused() -> None:
    with pytest.raises(ValueError):
        duty_date_at(datetime(2026, 3, 5, 7, 0), SHANGHAI)


def test_month_days_know_february() -> None:
    assert len(month_days("2026-02")) == 28
    assert len(month_days("2028-02")) == 29


def test_approved_leave_removes_and_the_substitute_covers() -> None:
    d = date(2026, 3, 5)
    shifts = [(d, "A"), (d, "B")]
    on = effective_duty(shifts, [ApprovedChange("leave", d, "A", substitute_id="C")])
    assert on == {(d, "B"), (d, "C")}


def test_a_swap_trades_two_duty_days() -> None:
    d1, d2 = date(2026, 3, 5), date(2026, 3, 6)
    on = effective_duty([(d1, "A"), (d2, "B")], [ApprovedChange("swap", d1, "A", substitute_id="B", swap_date=d2)])
    assert on == {(d1, "B"), (d2, "A")}


def test_rostered_staff_work_only_on_their_days_others_unless_on_leave() -> None:
    d = date(2026, 3, 5)
    shifts = [(d, "A"), (date(2026, 3, 6), "B")]
    facts = duty_facts(d, shifts, [ApprovedChange("leave", d, "M")], {"A", "B"}, roster_published=True)
    assert facts.working("A", SC) is True
    assert facts.working("B", SC) is False  # rostered, but on another day
    assert facts.working("C", SC) is False  # a duty role, on no day of the published roster
    assert facts.working("M", MANAGER) is False  # not on the roster (a manager), on approved leave
    assert facts.working("N", MANAGER) is True  # not on the roster, not on leave


def test_without_a_published_roster_everyone_works_unless_on_leave() -> None:
    d = date(2026, 3, 5)
    facts = duty_facts(d, [], [ApprovedChange("leave", d, "A")], set())
    assert facts.working("A", SC) is False
    assert facts.working("B", SC) is True


def test_a_published_roster_leaves_no_day_uncovered() -> None:
    shifts = [(day, "A") for day in month_days("2026-02") if day.day != 14]
    assert uncovered_days("2026-02", shifts) == [date(2026, 2, 14)]


def test_a_roster_published_once_the_month_began_is_late() -> None:
    # 2026-02-28 17:00 UTC is 2026-03-01 01:00 in Shanghai: the month has begun there.
    assert published_late("2026-03", datetime(2026, 2, 28, 17, 0, tzinfo=UTC), SHANGHAI) is True
    assert published_late("2026-03", datetime(2026, 2, 28, 15, 0, tzinfo=UTC), SHANGHAI) is False
