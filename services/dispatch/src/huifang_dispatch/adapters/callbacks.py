"""Queries over the `callbacks` projection (written by `adapters/assignments.py` from the assignment streams)."""

from __future__ import annotations

import asyncpg
from huifang_infra.auth import Scope
from huifang_infra.db import Connection


async def get_callback(conn: Connection, callback_id: str) -> asyncpg.Record | None:
    return await conn.fetchrow(
        "SELECT c.*, e.timezone FROM callbacks c LEFT JOIN estates e USING (estate_id) WHERE callback_id = $1",
        callback_id,
    )


async def unassigned(conn: Connection, limit: int) -> list[asyncpg.Record]:
    """The oldest callbacks waiting for someone, with their group and estate."""
    return await conn.fetch(
        """SELECT callback_id, group_id, estate_id FROM callbacks WHERE status = 'unassigned'
           ORDER BY unassigned_since, callback_id LIMIT $1""",
        limit,
    )


async def for_assignee(conn: Connection, scope: Scope, staff_id: str) -> list[asyncpg.Record]:
    return await conn.fetch(
        """SELECT c.*, e.timezone FROM callbacks c LEFT JOIN estates e USING (estate_id)
           WHERE c.assignee_id = $1 AND c.status IN ('assigned', 'accepted')
             AND c.group_id = $2 AND ($3::text[] IS NULL OR c.estate_id = ANY($3::text[]))
           ORDER BY c.deadline, c.callback_id""",
        staff_id,
        scope.group_id,
        scope.estate_ids,
    )


async def for_estate(
    conn: Connection, scope: Scope, estate_id: str, statuses: list[str], department: str | None
) -> list[asyncpg.Record]:
    """An estate's callbacks in these states; `department` filters by the assignee's department."""
    return await conn.fetch(
        """SELECT c.*, e.timezone, s.name AS assignee_name, s.department AS assignee_department
           FROM callbacks c LEFT JOIN estates e USING (estate_id) LEFT JOIN staff s ON s.staff_id = c.assignee_id
           WHERE c.group_id = $1 AND ($2::text[] IS NULL OR c.estate_id = ANY($2::text[])) AND c.estate_id = $3
             AND c.status = ANY($4::text[]) AND ($5::text IS NULL OR s.department = $5)
           ORDER BY c.deadline, c.callback_id""",
        scope.group_id,
        scope.estate_ids,
        estate_id,
        statuses,
        department,
    )
