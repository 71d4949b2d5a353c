"""`huifang calendar load FILE --group G`: a year's notice from a JSON file's text, loaded as the API would.

The file is what an operator types from the State Council's notice:

    {"year": 2027, "source": "国务院办公厅关于2027年部分节假日安排的通知",
     "holidays": ["2027-01-01", …], "workdays": ["2027-02-20", …]}
"""

from __future__ import annotations

from datetime import date

from huifang_infra.clock import Clock, utc_now
from huifang_infra.db import create_pool
from huifang_infra.migrations import infra_migrations, migrate, service_migrations
from huifang_infra.wiring import outbox_for
from pydantic import BaseModel, ConfigDict, Field

from huifang_callback.config import CallbackSettings
from huifang_callback.domain.calendar_schedule import LoadSchedule
from huifang_callback.service_layer.calendars import calendar_repository, load_schedule
from huifang_callback.service_layer.callbacks import callback_repository


class ScheduleFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    year: int = Field(ge=2004, le=2100)
    holidays: list[date] = Field(min_length=1)
    workdays: list[date] = Field(default_factory=list)
    source: str = Field(min_length=1, max_length=200)


async def load_calendar_file(
    text: str, group_id: str, *, database_url: str | None = None, by: str = "cli", clock: Clock = utc_now
) -> tuple[int, int]:
    """(year, callbacks revised). Refused files raise `ValidationError` or `ScheduleInvalid` naming the field."""
    notice = ScheduleFile.model_validate_json(text)
    settings = CallbackSettings(database_url=database_url) if database_url else CallbackSettings()
    pool = await create_pool(settings.database_url)
    try:
        await migrate(pool, [infra_migrations(), service_migrations("callback")])
        command = LoadSchedule(group_id, notice.year, tuple(notice.holidays), tuple(notice.workdays), notice.source,
                               by, clock())  # fmt: skip
        callbacks = callback_repository(outbox_for(settings))
        _, revised = await load_schedule(pool, calendar_repository(), callbacks, command)
    finally:
        await pool.close()
    return notice.year, revised
