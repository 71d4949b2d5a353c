"""The duty log table; the database refuses UPDATE and DELETE on it (migration 0003)."""

from __future__ import annotations

from datetime import date

import asyncpg
from huifang_infra.db import Connection


async def append(
    conn: Connection,
    *,
    group_id: str,
    estate_id: str,
    service_center: str,
    duty_date: date,
    kind: str,
    author_id: str,
    author_role: str,
    body: str,
    corrects_entry_id: int | None = None,
) -> asyncpg.Record:
    row = await conn.fetchrow(
        """INSERT INTO duty_log_entries (group_id, estate_id, service_center, duty_date, kind, author_id, author_role,
                                         body, corrects_entry_id)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *""",
        group_id,
        estate_id,
        service_center,
        duty_date,
        kind,
        author_id,
        author_role,
        body,
        corrects_entry_id,
    )
    assert row is not None
    return row


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
