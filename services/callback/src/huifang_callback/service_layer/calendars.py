"""R-CB-2, issue 18 §6: a group's schedule of a year loaded, and the open callbacks whose deadlines were
provisional counted again with it — each revision a `DeadlineRevised` on the callback's stream."""

from __future__ import annotations

from datetime import datetime

from huifang_infra.db import Connection, Pool, transaction
from huifang_infra.decider import Decider
from huifang_infra.event_codec import EventCodec
from huifang_infra.repository import Cause, Command, Repository

from huifang_callback.adapters import policies as policy_table
from huifang_callback.adapters.calendars import project_schedules, provisional_open
from huifang_callback.domain import calendar_schedule
from huifang_callback.domain.calendar_schedule import LoadSchedule, ScheduleState
from huifang_callback.domain.commands import CallbackCommand, ReviseDeadline
from huifang_callback.domain.events import CALENDAR_EVENTS, CalendarEvent, ScheduleLoaded
from huifang_callback.domain.policy import PolicyBody
from huifang_callback.domain.presets import preset_policy
from huifang_callback.domain.windows import event_window
from huifang_callback.service_layer.callbacks import CallbackRepository, stream_of
from huifang_callback.service_layer.policy_book import PolicyBook

CalendarRepository = Repository[LoadSchedule, ScheduleState, CalendarEvent]
CALENDAR_DECIDER: Decider[LoadSchedule, ScheduleState, CalendarEvent] = Decider(
    calendar_schedule.initial_state, calendar_schedule.decide, calendar_schedule.evolve
)
CALENDAR_CODEC: EventCodec[CalendarEvent] = EventCodec(CALENDAR_EVENTS)
CALENDAR_STATE_TABLES = ("calendar_schedules",)


def calendar_repository() -> CalendarRepository:
    return Repository(CALENDAR_DECIDER, CALENDAR_CODEC, project=project_schedules)


def calendar_stream_of(group_id: str, year: int) -> str:
    return f"calendar-{group_id}-{year}"


async def load_schedule(
    pool: Pool, calendars: CalendarRepository, callbacks: CallbackRepository, command: LoadSchedule
) -> tuple[ScheduleLoaded | None, int]:
    """The schedule as it now stands, and how many open callbacks it revised."""
    cause = Cause(group_id=command.group_id, estate_id=None, actor=command.by)
    decided = await calendars.run(pool, calendar_stream_of(command.group_id, command.year), command, cause)
    if not decided.events:
        return decided.state.loaded, 0
    async with transaction(pool) as conn:
        revised = await replan(conn, callbacks, command.group_id, command.year, command.at)
    return decided.state.loaded, revised


async def replan(conn: Connection, callbacks: CallbackRepository, group_id: str, year: int, at: datetime) -> int:
    """Count again the windows of the group's open callbacks whose deadlines were provisional."""
    rows = await provisional_open(conn, group_id, year)
    if not rows:
        return 0
    book = PolicyBook()
    await book.preload(conn, {(group_id, r["estate_id"]) for r in rows})
    lives = await callbacks.load_many(conn, [stream_of(r["callback_id"]) for r in rows])
    bodies: dict[tuple[str, int], PolicyBody | None] = {}
    commands: list[Command[CallbackCommand]] = []
    reason = f"{year}年工作日安排已载入 / the {year} working-day schedule was loaded"
    for row in rows:
        record = lives[stream_of(row["callback_id"])][0].record
        if record is None or record.occurred_at is None:
            continue  # imported from before the source's time was kept: left as it was
        key = (record.policy_id, record.policy_version)
        if key not in bodies:
            bodies[key] = await _policy_body(conn, *key)
        body = bodies[key]
        rule = body.rule(record.rule_id) if body is not None else None
        if rule is None or rule.window.anchor != "event":
            continue
        calendar = (await book.for_estate(conn, group_id, record.estate_id)).calendar
        window = event_window(record.occurred_at, rule.window, calendar)
        revise = ReviseDeadline(at, window.window_start, window.due_at, window.deadline, window.provisional, reason)
        cause = Cause(group_id=group_id, estate_id=record.estate_id, correlation_id=row["correlation_id"],
                      actor="calendar")  # fmt: skip
        commands.append(Command(stream_of(record.callback_id), revise, cause))
    decided = await callbacks.execute_many(conn, commands)
    return sum(1 for d in decided if d.events)


async def _policy_body(conn: Connection, policy_id: str, version: int) -> PolicyBody | None:
    """The rules the callback was scheduled under (a preset, or the group's version of then)."""
    if policy_id.startswith("preset-"):
        return preset_policy(policy_id.removeprefix("preset-")).body
    found = next((v for v in await policy_table.versions(conn, policy_id) if v.version == version), None)
    return found.body if found else None
