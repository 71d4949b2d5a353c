"""The mainland working-day count of R-CB-2, written out by hand for the years the tests run in.

Kept deliberately dumb (a table, not the callback service's calendar library) so a test compares the
service's deadline with an independent reckoning. After 2026 it counts Monday–Friday, as the service
does until the State Council publishes the next year's calendar.
"""

from __future__ import annotations

from datetime import date, timedelta

#: State Council notice for 2026: statutory days off (beyond ordinary weekends) and 调休 workdays.
HOLIDAYS_2026 = {
    *(date(2026, 1, d) for d in (1, 2, 3)),
    *(date(2026, 2, d) for d in range(15, 24)),
    *(date(2026, 4, d) for d in (4, 5, 6)),
    *(date(2026, 5, d) for d in range(1, 6)),
    *(date(2026, 6, d) for d in (19, 20, 21)),
    *(date(2026, 9, d) for d in (25, 26, 27)),
    *(date(2026, 10, d) for d in range(1, 8)),
}
ADJUSTED_WORKDAYS_2026 = {
    date(2026, 1, 4),
    date(2026, 2, 14),
    date(2026, 2, 28),
    date(2026, 5, 9),
    date(2026, 9, 20),
    date(2026, 10, 10),
}


def is_working_day(day: date) -> bool:
    if day in ADJUSTED_WORKDAYS_2026:
        return True
    if day in HOLIDAYS_2026:
        return False
    return day.weekday() < 5


def add_working_days(start: date, count: int) -> date:
    """The `count`-th working day after `start` (counting from the next day, R-CB-2)."""
    day = start
    while count:
        day += timedelta(days=1)
        count -= is_working_day(day)
    return day
