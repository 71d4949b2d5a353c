"""R-CB-2, R-CB-4, R-CB-7: a rule's window turned into instants, in the estate's calendar and zone.

Spans in hours are exact; a span in days or working days ends at the end of that local day (R-CB-2);
a non-zero start in days begins at 00:00 local of that day. Working days count from the day after
the event: 3 working days after Wed 2026-09-30 is Sat 2026-10-10 (National Day, then 调休).
"""

from __future__ import annotations

import calendar as month_calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from huifang_callback.domain.calendar import WorkingCalendar
from huifang_callback.domain.policy import Span, TimeUnit, Window


@dataclass(frozen=True)
class DueWindow:
    window_start: datetime
    due_at: datetime
    deadline: datetime
    provisional: bool = False  # R-CB-2: counted in working days over a year known only by statute


def _day_after(event_day: date, span: Span, cal: WorkingCalendar) -> date:
    if span.unit is TimeUnit.WORKING_DAYS:
        return cal.add_working_days(event_day, span.amount)
    return event_day + timedelta(days=span.amount)


def span_start(at: datetime, span: Span, cal: WorkingCalendar) -> datetime:
    if span.amount == 0:
        return at
    if span.unit is TimeUnit.HOURS:
        return at + timedelta(hours=span.amount)
    return cal.start_of_day(_day_after(cal.local_date(at), span, cal)).astimezone(UTC)


def span_end(at: datetime, span: Span, cal: WorkingCalendar) -> datetime:
    if span.unit is TimeUnit.HOURS:
        return at + timedelta(hours=span.amount)
    return cal.end_of_day(_day_after(cal.local_date(at), span, cal)).astimezone(UTC)


def event_window(at: datetime, window: Window, cal: WorkingCalendar) -> DueWindow:
    """Due when the window opens; an immediate window (start 0) is due at the event (R-CB-7)."""
    assert window.deadline is not None  # checked by the rule's validator
    start = span_start(at, window.start, cal)
    deadline = max(span_end(at, window.deadline, cal), start)
    by_working_days = TimeUnit.WORKING_DAYS in (window.start.unit, window.deadline.unit)
    provisional = by_working_days and cal.provisional_between(cal.local_date(at), cal.local_date(deadline))
    return DueWindow(start, start, deadline, provisional)


def draw_date(year: int, month: int, draw_day: int) -> date:
    """R-CB-4: "on the 30th (last day in short months)"; February draws on the 28th or 29th."""
    last = month_calendar.monthrange(year, month)[1]
    return date(year, month, min(draw_day, last))


def draw_moment(year: int, month: int, window: Window, cal: WorkingCalendar) -> datetime:
    return cal.at(draw_date(year, month, window.draw_day), window.draw_time).astimezone(UTC)


def month_window(year: int, month: int, window: Window, cal: WorkingCalendar) -> DueWindow:
    """Drawn at the draw moment, due at once, done by the end of `due_by_day` of the next month."""
    opens = draw_moment(year, month, window, cal)
    next_year, next_month = (year + 1, 1) if month == 12 else (year, month + 1)
    deadline = cal.end_of_day(date(next_year, next_month, window.due_by_day)).astimezone(UTC)
    return DueWindow(opens, opens, deadline)


def month_of(instant: datetime, cal: WorkingCalendar) -> str:
    """The estate-local `YYYY-MM` an instant falls in (a sample's month is local, not UTC)."""
    return cal.local_date(instant).strftime("%Y-%m")


def previous_month(month: str) -> str:
    year, mon = int(month[:4]), int(month[5:])
    return f"{year - 1}-12" if mon == 1 else f"{year}-{mon - 1:02d}"
