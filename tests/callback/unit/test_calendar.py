"""R-CB-2: working days follow the State Council calendar (holidays off, 调休 on), per-estate closures."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime

import pytest
from huifang_callback.domain.calendar import WorkingCalendar

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


def test_r_cb_2_beyond_the_library_data_weekdays_work_and_a_warning_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        assert CN.add_working_days(date(2030, 1, 4), 1) == date(2030, 1, 7)  # Fri → Mon
        assert not CN.is_working_day(date(2030, 1, 5))
    assert any("2030" in record.getMessage() for record in caplog.records)
