"""R-CB-2, R-CB-4, R-CB-6, R-CB-7: windows in the estate's zone, month ends included."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from huifang_callback.domain.calendar import WorkingCalendar
from huifang_callback.domain.policy import Span, TimeUnit, Window
from huifang_callback.domain.windows import draw_date, event_window, month_of, month_window, previous_month

pytestmark = pytest.mark.unit

CN = WorkingCalendar()


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def test_r_cb_2_working_day_deadline_ends_at_the_end_of_the_local_day() -> None:
    window = Window(deadline=Span(amount=3, unit=TimeUnit.WORKING_DAYS))
    resolved = utc(2026, 9, 30, 2, 0)  # Wed 10:00 Beijing
    w = event_window(resolved, window, CN)
    assert (w.window_start, w.due_at) == (resolved, resolved)
    assert w.deadline == utc(2026, 10, 10, 15, 59, 59)  # Sat 10 Oct 23:59:59 +08:00


def test_r_cb_2_the_local_date_decides_not_the_utc_date() -> None:
    # 17:00 UTC on Fri 9 Oct is 01:00 on Sat 10 Oct in Beijing (an adjusted workday):
    # counting starts on Mon 12 → 12, 13, 14.
    window = Window(deadline=Span(amount=3, unit=TimeUnit.WORKING_DAYS))
    assert event_window(utc(2026, 10, 9, 17, 0), window, CN).deadline == utc(2026, 10, 14, 15, 59, 59)


def test_r_cb_7_an_immediate_window_is_due_at_the_event() -> None:
    window = Window(deadline=Span(amount=1, unit=TimeUnit.DAYS))
    closed = utc(2026, 3, 10, 2, 0)
    w = event_window(closed, window, CN)
    assert w.due_at == closed
    assert w.deadline == utc(2026, 3, 11, 15, 59, 59)


def test_r_cb_6_renovation_door_visit_within_seven_days() -> None:
    window = Window(deadline=Span(amount=7, unit=TimeUnit.DAYS))
    assert event_window(utc(2026, 5, 1, 3, 0), window, CN).deadline == utc(2026, 5, 8, 15, 59, 59)


def test_a_start_offset_in_days_opens_at_local_midnight_and_hours_are_exact() -> None:
    window = Window(start=Span(amount=3, unit=TimeUnit.DAYS), deadline=Span(amount=7, unit=TimeUnit.DAYS))
    w = event_window(utc(2026, 5, 1, 3, 0), window, CN)
    assert w.window_start == w.due_at == utc(2026, 5, 3, 16, 0)  # 4 May 00:00 Beijing
    hourly = Window(start=Span(amount=2, unit=TimeUnit.HOURS), deadline=Span(amount=24, unit=TimeUnit.HOURS))
    w = event_window(utc(2026, 5, 1, 3, 0), hourly, CN)
    assert (w.due_at, w.deadline) == (utc(2026, 5, 1, 5, 0), utc(2026, 5, 2, 3, 0))


@pytest.mark.parametrize(
    ("year", "month", "expected"),
    [
        (2026, 2, date(2026, 2, 28)),  # short February: the last day
        (2028, 2, date(2028, 2, 29)),  # leap February
        (2026, 4, date(2026, 4, 30)),  # 30-day month: the 30th is the last day
        (2026, 3, date(2026, 3, 30)),  # 31-day month: the 30th, not the 31st
    ],
)
def test_r_cb_4_drawn_on_the_30th_or_the_last_day_of_a_short_month(year: int, month: int, expected: date) -> None:
    assert draw_date(year, month, 30) == expected


def test_r_cb_4_month_window_february_and_december() -> None:
    window = Window(anchor="month")
    feb = month_window(2026, 2, window, CN)
    assert feb.due_at == utc(2026, 2, 28, 1, 0)  # 09:00 Beijing on the 28th
    assert feb.deadline == utc(2026, 3, 5, 15, 59, 59)  # by the 5th of March, local
    dec = month_window(2026, 12, window, CN)
    assert dec.deadline == utc(2027, 1, 5, 15, 59, 59)


def test_the_sample_month_is_the_estate_local_month() -> None:
    assert month_of(utc(2026, 3, 31, 17, 0), CN) == "2026-04"  # 01:00 on 1 April in Beijing
    assert previous_month("2026-01") == "2025-12"
