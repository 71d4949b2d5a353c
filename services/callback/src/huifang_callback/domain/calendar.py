"""R-CB-2: the mainland-China working-day calendar, with per-estate closures, in the estate's time zone.

Which days are worked comes from three layers, first that knows the year:
1. an annual schedule an operator loaded for the group (the State Council's notice: holidays and the
   adjusted weekend workdays, 调休) — `ScheduleLoaded` events, `PUT /calendars/{year}`;
2. the `chinese_calendar` library's official data (the notices of the years it ships: 2004–2026 in 1.11);
3. past both, the statutory rules (the `holidays` package's China calendar: statutory days and their
   observed days, but no 调休 workdays). A deadline counted over such a year is *provisional*: it says
   so in the API and the events, and is revised when the year's schedule is loaded.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache
from zoneinfo import ZoneInfo

import chinese_calendar  # type: ignore[import-untyped]
import holidays


class DaySource(StrEnum):
    SCHEDULE = "schedule"  # loaded by an operator
    LIBRARY = "library"  # chinese_calendar's official data
    STATUTORY = "statutory"  # statutory rules only: provisional


@dataclass(frozen=True)
class YearSchedule:
    """One year's notice: the holidays, and the weekend days worked instead (调休)."""

    year: int
    holidays: frozenset[date]
    workdays: frozenset[date] = frozenset()

    def is_working_day(self, day: date) -> bool:
        if day in self.holidays:
            return False
        return day in self.workdays or day.weekday() < 5


@lru_cache(maxsize=64)
def _library_knows(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


@lru_cache(maxsize=8192)
def _library_workday(day: date) -> bool:
    return bool(chinese_calendar.is_workday(day))


@lru_cache(maxsize=64)
def statutory_rest_days(year: int) -> frozenset[date]:
    """The year's statutory holidays and their observed days, weekends aside (no 调休 workdays)."""
    return frozenset(d for d in holidays.country_holidays("CN", years=year) if d.weekday() < 5)


def _statutory_workday(day: date) -> bool:
    return day.weekday() < 5 and day not in statutory_rest_days(day.year)


MAINLAND = "cn-mainland"


@lru_cache(maxsize=16)
def _region_known(code: str) -> bool:
    return code.upper() in holidays.list_supported_countries()


@lru_cache(maxsize=64)
def _regional_holidays(code: str, year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays(code.upper(), years=year))


@dataclass(frozen=True)
class WorkingCalendar:
    """Which local dates are working days for one estate (R-CB-2 with per-estate overrides)."""

    timezone: str = "Asia/Shanghai"
    closures: frozenset[date] = field(default_factory=frozenset)
    schedules: tuple[YearSchedule, ...] = ()
    calendar: str = MAINLAND

    @classmethod
    def for_estate(
        cls,
        timezone: str,
        closures: Iterable[date] = (),
        schedules: Iterable[YearSchedule] = (),
        calendar: str = MAINLAND,
    ) -> WorkingCalendar:
        """The estate's calendar: `cn-mainland` is layered as above (the group's schedules are mainland
        notices); another region's code (`hk`, `mo` …) keeps that region's official public holidays."""
        region = calendar if calendar == MAINLAND or _region_known(calendar) else MAINLAND
        ordered = tuple(sorted(schedules, key=lambda s: s.year)) if region == MAINLAND else ()
        return cls(timezone, frozenset(closures), ordered, region)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def _schedule(self, year: int) -> YearSchedule | None:
        return next((s for s in self.schedules if s.year == year), None)

    def source_of(self, year: int) -> DaySource:
        if self.calendar != MAINLAND:
            return DaySource.LIBRARY  # the region's published holidays
        if self._schedule(year) is not None:
            return DaySource.SCHEDULE
        return DaySource.LIBRARY if _library_knows(year) else DaySource.STATUTORY

    def is_working_day(self, day: date) -> bool:
        if day in self.closures:
            return False
        if self.calendar != MAINLAND:
            return day.weekday() < 5 and day not in _regional_holidays(self.calendar, day.year)
        schedule = self._schedule(day.year)
        if schedule is not None:
            return schedule.is_working_day(day)
        return _library_workday(day) if _library_knows(day.year) else _statutory_workday(day)

    def provisional_between(self, first: date, last: date) -> bool:
        """True when a count over these days used a year known only by its statutory rules."""
        return any(self.source_of(year) is DaySource.STATUTORY for year in range(first.year, last.year + 1))

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
