"""A group's working-day schedule of one year as a decider (R-CB-2, issue 18 §6): loaded, and loaded again
when the notice is corrected. A schedule is checked against the calendar it describes: every date in
its year, a holiday not also a workday, an adjusted workday (调休) a weekend day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from huifang_callback.domain.errors import ScheduleInvalid
from huifang_callback.domain.events import CalendarEvent, ScheduleLoaded


@dataclass(frozen=True)
class LoadSchedule:
    group_id: str
    year: int
    holidays: tuple[date, ...]
    workdays: tuple[date, ...]
    source: str
    by: str | None
    at: datetime


@dataclass(frozen=True)
class ScheduleState:
    loaded: ScheduleLoaded | None = None


def initial_state() -> ScheduleState:
    return ScheduleState()


def decide(command: LoadSchedule, state: ScheduleState) -> list[CalendarEvent]:
    holidays, workdays = tuple(sorted(set(command.holidays))), tuple(sorted(set(command.workdays)))
    for name, days in (("holidays", holidays), ("workdays", workdays)):
        strays = [d.isoformat() for d in days if d.year != command.year]
        if strays:
            raise ScheduleInvalid(f"not in {command.year}: {', '.join(strays)}", field=name)
    both = sorted(set(holidays) & set(workdays))
    if both:
        raise ScheduleInvalid(
            f"both a holiday and a workday: {', '.join(d.isoformat() for d in both)}", field="workdays"
        )
    weekdays = [d.isoformat() for d in workdays if d.weekday() < 5]
    if weekdays:
        raise ScheduleInvalid(f"an adjusted workday is a weekend day; not: {', '.join(weekdays)}", field="workdays")
    current = state.loaded
    if current is not None and (current.holidays, current.workdays) == (holidays, workdays):
        return []  # the same notice again
    return [ScheduleLoaded(command.group_id, command.year, holidays, workdays, command.source, command.by, command.at)]


def evolve(state: ScheduleState, event: CalendarEvent) -> ScheduleState:
    return ScheduleState(event)
