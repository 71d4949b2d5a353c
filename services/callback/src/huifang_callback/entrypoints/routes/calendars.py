"""Working-day calendars (R-CB-2, issue 18 §6): a year's schedule as the group loaded it, or as the
library or the statutory rules know it; loading one revises the provisional deadlines it settles."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import chinese_calendar  # type: ignore[import-untyped]
from fastapi import APIRouter, Path
from huifang_infra.auth import CurrentPrincipal

from huifang_callback.adapters.calendars import schedule_row
from huifang_callback.domain.calendar import DaySource, WorkingCalendar, statutory_rest_days
from huifang_callback.domain.calendar_schedule import LoadSchedule
from huifang_callback.entrypoints.deps import ComponentsDep, PolicyEditor, RuntimeDep, require_whole_group
from huifang_callback.entrypoints.schemas import CalendarIn, CalendarOut
from huifang_callback.service_layer.calendars import load_schedule

router = APIRouter(prefix="/calendars", tags=["calendars 工作日历"])

Year = Annotated[int, Path(ge=2004, le=2100, description="the calendar year")]

_SOURCE_ZH = {
    DaySource.SCHEDULE: "已载入的年度安排",
    DaySource.LIBRARY: "国务院公布的安排（内置数据）",
    DaySource.STATUTORY: "仅按法定节假日推算（暂定）",
}


@router.put("/{year}")
async def put_calendar(
    year: Year, body: CalendarIn, principal: PolicyEditor, runtime: RuntimeDep, components: ComponentsDep
) -> CalendarOut:
    """Load the year's notice for the whole group; open callbacks whose deadlines were provisional are
    counted again (each one a DeadlineRevised)."""
    require_whole_group(principal)
    command = LoadSchedule(principal.group_id, year, tuple(body.holidays), tuple(body.workdays), body.source,
                           principal.sub, components.clock())  # fmt: skip
    loaded, revised = await load_schedule(runtime.pool, components.calendars, components.callbacks, command)
    assert loaded is not None
    return CalendarOut(
        year=year, source=DaySource.SCHEDULE, source_zh=_SOURCE_ZH[DaySource.SCHEDULE], provisional=False,
        holidays=list(loaded.holidays), workdays=list(loaded.workdays), notice=loaded.source,
        revised_callbacks=revised,
    )  # fmt: skip


@router.get("/{year}")
async def get_calendar(year: Year, principal: CurrentPrincipal, runtime: RuntimeDep) -> CalendarOut:
    """Where the year's working days come from for the caller's group, and its rest days and 调休 workdays."""
    async with runtime.pool.acquire() as conn:
        row = await schedule_row(conn, principal.group_id, year)
    if row is not None:
        return CalendarOut(
            year=year, source=DaySource.SCHEDULE, source_zh=_SOURCE_ZH[DaySource.SCHEDULE], provisional=False,
            holidays=[date.fromisoformat(d) for d in row["holidays"]],
            workdays=[date.fromisoformat(d) for d in row["workdays"]], notice=row["source"],
        )  # fmt: skip
    source = WorkingCalendar().source_of(year)
    if source is DaySource.LIBRARY:
        start, end = date(year, 1, 1), date(year, 12, 31)
        holidays = sorted(chinese_calendar.get_holidays(start, end, include_weekends=False))
        workdays = sorted(
            d for d in chinese_calendar.get_workdays(start, end, include_weekends=True) if d.weekday() >= 5
        )
    else:
        holidays, workdays = sorted(statutory_rest_days(year)), []
    return CalendarOut(
        year=year, source=source, source_zh=_SOURCE_ZH[source], provisional=source is DaySource.STATUTORY,
        holidays=holidays, workdays=workdays,
    )  # fmt: skip
