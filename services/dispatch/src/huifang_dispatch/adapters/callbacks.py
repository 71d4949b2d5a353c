"""The callbacks table: what each callback requires, where it sits, and the queries over it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import asyncpg
from huifang_infra.auth import Scope
from huifang_infra.db import Connection

_SCHEDULED_FIELDS = (
    "kind, source_type, source_id, window_start, due_at, deadline, method, caller_role, apology, max_attempts, "
    "round, department, worker_id, grade, category, subcategory, unit_id, requester_name, requester_phone"
)


async def upsert_scheduled(
    conn: Connection, group_id: str, estate_id: str, callback_id: str, f: dict[str, Any]
) -> None:
    """What the callback requires; its place in a queue is never touched here (redelivery-safe)."""
    names = [n.strip() for n in _SCHEDULED_FIELDS.split(",")]
    placeholders = ", ".join(f"${i + 4}" for i in range(len(names)))
    updates = ", ".join(f"{n} = EXCLUDED.{n}" for n in names)
    await conn.execute(
        f"""INSERT INTO callbacks (callback_id, group_id, estate_id, {_SCHEDULED_FIELDS})
            VALUES ($1, $2, $3, {placeholders})
            ON CONFLICT (callback_id) DO UPDATE SET {updates}, updated_at = now()""",
        callback_id,
        group_id,
        estate_id,
        *(f.get(n) for n in names),
    )


async def ensure_due(
    conn: Connection,
    group_id: str,
    estate_id: str,
    callback_id: str,
    due_at: datetime,
    deadline: datetime,
    method: str,
    caller_role: str,
) -> asyncpg.Record:
    """CallbackDue carries enough to assign even when its CallbackScheduled was never seen. Returns the
    row, locked by the upsert, with its estate's time zone: one round trip instead of three."""
    row = await conn.fetchrow(
        """WITH up AS (
               INSERT INTO callbacks (callback_id, group_id, estate_id, due_at, deadline, method, caller_role)
               VALUES ($1, $2, $3, $4, $5, $6, $7)
               ON CONFLICT (callback_id) DO UPDATE SET due_at = EXCLUDED.due_at, deadline = EXCLUDED.deadline,
                   method = EXCLUDED.method, caller_role = EXCLUDED.caller_role, updated_at = now()
               RETURNING *)
           SELECT up.*, e.timezone FROM up LEFT JOIN estates e USING (estate_id)""",
        callback_id,
        group_id,
        estate_id,
        due_at,
        deadline,
        method,
        caller_role,
    )
    assert row is not None
    return row


async def lock_callback(conn: Connection, callback_id: str) -> asyncpg.Record | None:
    """The callback row, locked, with its estate's time zone (NULL when the estate is not known yet)."""
    return await conn.fetchrow(
        """SELECT c.*, e.timezone FROM callbacks c LEFT JOIN estates e USING (estate_id)
           WHERE c.callback_id = $1 FOR UPDATE OF c""",
        callback_id,
    )


async def get_callback(conn: Connection, callback_id: str) -> asyncpg.Record | None:
    return await conn.fetchrow(
        "SELECT c.*, e.timezone FROM callbacks c LEFT JOIN estates e USING (estate_id) WHERE callback_id = $1",
        callback_id,
    )


async def set_assigned(conn: Connection, callback_id: str, staff_id: str, role: str, at: datetime) -> None:
    await conn.execute(
        """UPDATE callbacks SET status = 'assigned', assignee_id = $2, assignee_role = $3, assigned_at = $4,
                  accepted_at = NULL, unassigned_reason = NULL, unassigned_since = NULL, updated_at = now()
           WHERE callback_id = $1""",
        callback_id,
        staff_id,
        role,
        at,
    )


async def set_unassigned(conn: Connection, callback_id: str, reason: str, at: datetime) -> None:
    await conn.execute(
        """UPDATE callbacks SET status = 'unassigned', assignee_id = NULL, assignee_role = NULL,
                  unassigned_reason = $2, unassigned_since = coalesce(unassigned_since, $3), updated_at = now()
           WHERE callback_id = $1""",
        callback_id,
        reason,
        at,
    )


async def set_escalated(conn: Connection, callback_id: str, role: str, at: datetime, reason: str | None) -> None:
    await conn.execute(
        """UPDATE callbacks SET escalated_to_role = $2, escalated_at = coalesce(escalated_at, $3),
                  unassigned_reason = coalesce($4, unassigned_reason), updated_at = now()
           WHERE callback_id = $1""",
        callback_id,
        role,
        at,
        reason,
    )


async def set_status(conn: Connection, callback_id: str, status: str, **fields: Any) -> None:
    names = list(fields)
    assignments = "".join(f", {n} = ${i + 3}" for i, n in enumerate(names))
    await conn.execute(
        f"UPDATE callbacks SET status = $2{assignments}, updated_at = now() WHERE callback_id = $1",
        callback_id,
        status,
        *fields.values(),
    )


async def unassigned_ids(conn: Connection, limit: int) -> list[str]:
    rows = await conn.fetch(
        "SELECT callback_id FROM callbacks WHERE status = 'unassigned' ORDER BY unassigned_since LIMIT $1", limit
    )
    return [r["callback_id"] for r in rows]


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
