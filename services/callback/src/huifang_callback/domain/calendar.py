"""R-CB-2: the mainland-China working-day calendar, with per-estate closures, in the estate's time zone.

Statutory holidays and adjusted weekend workdays (调休) come from the `chinese_calendar` library, which
knows the State Council's notices for the years it ships (2004–2026 in 1.11). Outside those years the
calendar falls back to Monday–Friday and logs a warning once per year, so a deadline is never refused.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import chinese_calendar  # type: ignore[import-untyped]

log = logging.getLogger(__name__)

_warned_years: set[int] = set()


@lru_cache(maxsize=8192)
def _statutory_workday(day: date) -> bool:
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        # Beyond the library's data: weekdays work, weekends rest, no holidays known.
        if day.year not in _warned_years:
            _warned_years.add(day.year)
            log.warning("no State Council holiday data for %s; using Monday–Friday", day.year)
        return day.weekday() < 5


@dataclass(frozen=True)
class WorkingCalendar:
    """Which local dates are working days for one estate (R-CB-2 with per-estate overrides)."""

    timezone: str = "Asia/Shanghai"
    closures: frozenset[date] = field(default_factory=frozenset)

    @classmethod
    def for_estate(cls, timezone: str, closures: Iterable[date] = ()) -> WorkingCalendar:
        return cls(timezone, frozenset(closures))

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def is_working_day(self, day: date) -> bool:
        return day not in self.closures and _statutory_workday(day)

    def add_working_days(self, day: date, count: int) -> date:
        """The `count`-th working day after `day` (counting starts the next day); `day` itself if 0."""
        current, left = day, count
        while left > 0:
            current += timedelta(days=1)
            if self.is_working_day(current):
                left -= 1
        return current

    def local_date(self, instant: datetime) -> date:
        return instant.astimezone(self.zone).date()

    def start_of_day(self, day: date) -> datetime:
        """00:00 local of `day`, as an aware datetime in the estate's zone."""
        return datetime.combine(day, time(0, 0), tzinfo=self.zone)

    def end_of_day(self, day: date) -> datetime:
        """R-CB-2: a deadline on a day ends at 23:59:59 local of that day."""
        return datetime.combine(day, time(23, 59, 59), tzinfo=self.zone)

    def at(self, day: date, clock_time: time) -> datetime:
        return datetime.combine(day, clock_time, tzinfo=self.zone)
