"""R-CB-2: working days follow the State Council calendar (holidays off, 调休 on), per-estate closures."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from huifang_callback.domain.calendar import DaySource, WorkingCalendar, YearSchedule
from huifang_callback.domain.policy import Span, TimeUnit, Window
from huifang_callback.domain.windows import event_window

pytestmark = pytest.mark.unit

CN = WorkingCalendar()


def test_r_cb_2_three_working_days_after_wed_2026_09_30_end_on_sat_2026_10_10() -> None:
    # Oct 1–7 National Day off; Thu 8, Fri 9 work; Sat 10 is the adjusted workday (调休).
    assert CN.add_working_days(date(2026, 9, 30), 3) == date(2026, 10, 10)


def test_r_cb_2_adjusted_sunday_before_national_day_is_a_working_day() -> None:
    assert CN.is_working_day(date(2026, 9, 20))  # Sunday, 调休
    assert not CN.is_working_day(date(2026, 10, 1))
    assert not CN.is_working_day(date(2026, 10, 7))
    assert not CN.is_working_day(date(2026, 10, 11))  # an ordinary Sunday


def test_r_cb_2_spring_festival_2026_saturday_before_works_and_the_nine_days_rest() -> None:
    # Sat 14 Feb works (调休); 15–23 Feb off; Tue 24 Feb is the next working day.
    assert CN.add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 14)
    assert CN.add_working_days(date(2026, 2, 13), 2) == date(2026, 2, 24)
    assert CN.add_working_days(date(2026, 2, 14), 5) == date(2026, 2, 28)  # 24, 25, 26, 27, Sat 28 (调休)


def test_r_cb_2_an_estate_closure_pushes_the_deadline() -> None:
    closed = WorkingCalendar.for_estate("Asia/Shanghai", [date(2026, 10, 9)])
    # Oct 8 works, Oct 9 closed here, Sat 10 works (调休), Sun 11 off, Mon 12 works.
    assert closed.add_working_days(date(2026, 9, 30), 3) == date(2026, 10, 12)


def test_r_cb_2_end_of_local_working_day_in_utc() -> None:
    assert CN.end_of_day(date(2026, 10, 10)).astimezone(UTC) == datetime(2026, 10, 10, 15, 59, 59, tzinfo=UTC)
    urumqi = WorkingCalendar("Asia/Urumqi")  # UTC+6
    assert urumqi.end_of_day(date(2026, 10, 10)).astimezone(UTC) == datetime(2026, 10, 10, 17, 59, 59, tzinfo=UTC)


def test_r_cb_2_beyond_the_library_data_the_statutory_days_rest_and_the_count_is_provisional() -> None:
    # 2027 is past chinese_calendar 1.11: New Year's Day and the Spring Festival rest by statute.
    assert CN.source_of(2027) is DaySource.STATUTORY
    assert not CN.is_working_day(date(2027, 1, 1))  # Fri, New Year's Day: no longer counted as worked
    assert CN.add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)  # Thu → Mon
    assert not CN.is_working_day(date(2027, 2, 8))  # Spring Festival
    assert CN.provisional_between(date(2026, 12, 30), date(2027, 1, 4))
    assert not CN.provisional_between(date(2026, 9, 30), date(2026, 10, 10))


def test_r_cb_2_a_loaded_schedule_decides_its_year_with_its_adjusted_workdays() -> None:
    notice = YearSchedule(2027, frozenset({date(2027, 1, 1), date(2027, 1, 4)}), frozenset({date(2027, 1, 9)}))
    cal = WorkingCalendar.for_estate("Asia/Shanghai", schedules=[notice])
    assert cal.source_of(2027) is DaySource.SCHEDULE
    assert not cal.is_working_day(date(2027, 1, 4))  # a holiday by the notice, a Monday
    assert cal.is_working_day(date(2027, 1, 9))  # a Saturday worked instead (调休)
    assert cal.add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 5)
    assert not cal.provisional_between(date(2026, 12, 30), date(2027, 1, 9))


def test_r_cb_2_a_working_day_deadline_into_an_unknown_year_is_marked_provisional() -> None:
    rule_window = Window(deadline=Span(amount=3, unit=TimeUnit.WORKING_DAYS))
    december = event_window(datetime(2026, 12, 30, 2, 0, tzinfo=UTC), rule_window, CN)
    september = event_window(datetime(2026, 9, 30, 2, 0, tzinfo=UTC), rule_window, CN)
    hours = Window(deadline=Span(amount=48, unit=TimeUnit.HOURS))
    by_hours = event_window(datetime(2026, 12, 31, 2, 0, tzinfo=UTC), hours, CN)
    assert (december.provisional, september.provisional, by_hours.provisional) == (True, False, False)
    assert CN.local_date(december.deadline) == date(2027, 1, 5)  # Thu 31, [Fri 1 rests], Mon 4, Tue 5


def test_r_cb_2_an_estate_on_another_regions_calendar_keeps_that_regions_holidays() -> None:
    notice = YearSchedule(2026, frozenset({date(2026, 12, 24)}))  # a mainland notice: not Hong Kong's
    hk = WorkingCalendar.for_estate("Asia/Hong_Kong", schedules=[notice], calendar="hk")
    assert not hk.is_working_day(date(2026, 12, 25))  # Christmas Day, a Hong Kong public holiday
    assert hk.is_working_day(date(2026, 12, 24)) and hk.is_working_day(date(2026, 10, 8))
    assert not hk.is_working_day(date(2026, 10, 10))  # no 调休 Saturday outside the mainland
    assert CN.is_working_day(date(2026, 10, 10))  # the mainland works Saturday 10 October (调休)
    unknown = WorkingCalendar.for_estate("Asia/Shanghai", calendar="atlantis")
    assert unknown.calendar == "cn-mainland" and unknown.is_working_day(date(2026, 10, 10))
