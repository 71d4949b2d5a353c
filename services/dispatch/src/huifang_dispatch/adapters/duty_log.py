"""The duty log table, the projection of the duty days' streams; the database refuses UPDATE and DELETE on it
(migration 0003), and only `empty_duty_log_for_rebuild()` empties it for a rebuild (0008)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import asyncpg
from huifang_infra.db import Connection
from huifang_infra.repository import Decided

from huifang_dispatch.domain.events import DutyDayImported, DutyLogEntryWritten, DutyLogSignedOff

_COLUMNS = (
    "entry_id, group_id, estate_id, service_center, duty_date, kind, author_id, author_role, body, corrects_entry_id"
)


async def get_entry(conn: Connection, entry_id: int) -> asyncpg.Record | None:
    return await conn.fetchrow("SELECT * FROM duty_log_entries WHERE entry_id = $1", entry_id)


async def day_entries(
    conn: Connection, group_id: str, estate_id: str, service_center: str, duty_date: date
) -> list[asyncpg.Record]:
    return await conn.fetch(
        """SELECT e.*, coalesce(array_agg(c.entry_id ORDER BY c.entry_id) FILTER (WHERE c.entry_id IS NOT NULL),
                                '{}') AS corrected_by
           FROM duty_log_entries e
           LEFT JOIN duty_log_entries c ON c.corrects_entry_id = e.entry_id
           WHERE e.group_id = $1 AND e.estate_id = $2 AND e.service_center = $3 AND e.duty_date = $4
           GROUP BY e.entry_id ORDER BY e.entry_id""",
        group_id,
        estate_id,
        service_center,
        duty_date,
    )


async def next_entry_id(conn: Connection) -> int:
    """The log's next entry number (its identity sequence): the command carries it, so a rebuild keeps it."""
    value = await conn.fetchval("SELECT nextval(pg_get_serial_sequence('duty_log_entries', 'entry_id'))")
    return int(value)


async def project_days(conn: Connection, decided: Sequence[Decided[Any, Any, Any]]) -> None:
    """Each written entry as its row, stamped with the time the store recorded its event (the server's time,
    never the writer's); imported entries keep theirs. A row already there is left as it is: nobody can
    have changed it (0003), so a refill without emptying gives the same table as one after emptying."""
    written: list[tuple[Any, ...]] = []
    imported: list[tuple[Any, ...]] = []
    for d in decided:
        first = d.version - len(d.events) + 1  # versions are dense: the event's own is first + its index
        for n, event in enumerate(d.events):
            at = (d.stream_id, first + n)
            match event:
                case DutyLogEntryWritten(day=k):
                    written.append(
                        (event.entry_id, k.group_id, k.estate_id, k.service_center, k.duty_date, event.kind,
                         event.author_id, event.author_role, event.body, event.corrects_entry_id, *at)
                    )  # fmt: skip
                case DutyLogSignedOff(day=k):
                    written.append(
                        (event.entry_id, k.group_id, k.estate_id, k.service_center, k.duty_date, "sign_off",
                         event.author_id, event.author_role, event.body, None, *at)
                    )  # fmt: skip
                case DutyDayImported(day=k):
                    imported += [
                        (e.entry_id, k.group_id, k.estate_id, k.service_center, k.duty_date, e.kind, e.author_id,
                         e.author_role, e.body, e.corrects_entry_id, e.recorded_at)
                        for e in event.entries
                    ]  # fmt: skip
    if not written and not imported:
        return
    await conn.execute("SELECT set_config('huifang.duty_log_import', 'on', true)")
    if written:
        await conn.executemany(
            f"""INSERT INTO duty_log_entries ({_COLUMNS}, recorded_at) OVERRIDING SYSTEM VALUE
                SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, recorded_at FROM events
                WHERE stream_id = $11 AND stream_version = $12
                ON CONFLICT (entry_id) DO NOTHING""",
            written,
        )
    if imported:
        await conn.executemany(
            f"""INSERT INTO duty_log_entries ({_COLUMNS}, recorded_at) OVERRIDING SYSTEM VALUE
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
                ON CONFLICT (entry_id) DO NOTHING""",
            imported,
        )
    await conn.execute("SELECT set_config('huifang.duty_log_import', 'off', true)")


async def empty_days(conn: Connection) -> None:
    await conn.fetchval("SELECT empty_duty_log_for_rebuild()")
