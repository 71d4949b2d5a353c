"""R-OP-3: duty runs 08:30 to 08:30 the next day, estate-local; which duty day an instant belongs to.

07:00 on the 5th belongs to the duty day of the 4th: the shift that began at 08:30 on the 4th is
still on. Wall-clock arithmetic in the estate's zone keeps the boundary at 08:30 local all year.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DUTY_STARTS = time(8, 30)
_SHIFT = timedelta(hours=DUTY_STARTS.hour, minutes=DUTY_STARTS.minute)


def duty_date_at(instant: datetime, tz: ZoneInfo) -> date:
    """The duty day (named by the date it starts on) that covers this instant in the estate."""
    if instant.tzinfo is None:
        raise ValueError("instant must be timezone-aware")
    return (instant.astimezone(tz).replace(tzinfo=None) - _SHIFT).date()


def duty_window(duty_date: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """Start (inclusive) and end (exclusive) of a duty day, as aware estate-local datetimes."""
    start = datetime.combine(duty_date, DUTY_STARTS, tzinfo=tz)
    end = datetime.combine(duty_date + timedelta(days=1), DUTY_STARTS, tzinfo=tz)
    return start, end


def month_days(month: str) -> list[date]:
    """Every date of a `YYYY-MM` month, in order."""
    year, number = (int(part) for part in month.split("-"))
    day = date(year, number, 1)
    days = []
    while day.month == number:
        days.append(day)
        day += timedelta(days=1)
    return days
