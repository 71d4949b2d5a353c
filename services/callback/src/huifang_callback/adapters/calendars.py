"""The loaded working-day schedules (a projection of the calendar streams) and the open callbacks whose
deadlines they may revise."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from huifang_infra.db import Connection
from huifang_infra.repository import Decided

from huifang_callback.domain.calendar import YearSchedule
from huifang_callback.domain.events import ScheduleLoaded


async def project_schedules(conn: Connection, decided: Sequence[Decided[Any, Any, Any]]) -> None:
    loaded = [e for d in decided for e in d.events if isinstance(e, ScheduleLoaded)]
    await conn.executemany(
        """INSERT INTO calendar_schedules (group_id, year, holidays, workdays, source, loaded_by, loaded_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (group_id, year) DO UPDATE SET holidays = EXCLUDED.holidays, workdays = EXCLUDED.workdays,
               source = EXCLUDED.source, loaded_by = EXCLUDED.loaded_by, loaded_at = EXCLUDED.loaded_at""",
        [
            (e.group_id, e.year, [d.isoformat() for d in e.holidays], [d.isoformat() for d in e.workdays],
             e.source, e.loaded_by, e.at)
            for e in loaded
        ],
    )  # fmt: skip


def _schedule(row: Any) -> YearSchedule:
    return YearSchedule(
        row["year"],
        frozenset(date.fromisoformat(d) for d in row["holidays"]),
        frozenset(date.fromisoformat(d) for d in row["workdays"]),
    )


async def schedules_of(conn: Connection, group_ids: Sequence[str]) -> dict[str, list[YearSchedule]]:
    rows = await conn.fetch(
        "SELECT group_id, year, holidays, workdays FROM calendar_schedules WHERE group_id = ANY($1::text[])",
        list(group_ids),
    )
    found: dict[str, list[YearSchedule]] = {}
    for row in rows:
        found.setdefault(row["group_id"], []).append(_schedule(row))
    return found


async def schedule_row(conn: Connection, group_id: str, year: int) -> dict[str, Any] | None:
    row = await conn.fetchrow("SELECT * FROM calendar_schedules WHERE group_id = $1 AND year = $2", group_id, year)
    return dict(row) if row else None


async def provisional_open(conn: Connection, group_id: str, year: int) -> list[dict[str, Any]]:
    """Open callbacks of the group whose provisional deadline may have been counted over `year`."""
    rows = await conn.fetch(
        """SELECT callback_id, estate_id, policy_id, policy_version, rule_id, correlation_id FROM callbacks
           WHERE group_id = $1 AND deadline_provisional AND state IN ('scheduled', 'due')
             AND extract(year FROM deadline) >= $2 AND extract(year FROM created_at) <= $2""",
        group_id,
        year,
    )
    return [dict(r) for r in rows]
