"""The staff directory table: rows in, rows out, and the candidate lock assignment relies on."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import asyncpg
from huifang_infra.auth import Scope
from huifang_infra.db import Connection

STAFF_COLUMNS = (
    "staff_id, group_id, estate_id, name, role, department, phone, service_center, door_visits, active, "
    "open_load, assigned_day, assigned_today"
)
EDITABLE = ("name", "role", "department", "phone", "service_center", "door_visits", "active")


async def insert_staff(conn: Connection, row: dict[str, Any]) -> bool:
    """False when the id is taken."""
    status = await conn.execute(
        """INSERT INTO staff (staff_id, group_id, estate_id, name, role, department, phone, service_center,
                              door_visits, active)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (staff_id) DO NOTHING""",
        row["staff_id"],
        row["group_id"],
        row["estate_id"],
        row["name"],
        row["role"],
        row.get("department"),
        row.get("phone"),
        row.get("service_center") or "main",
        bool(row.get("door_visits", False)),
        bool(row.get("active", True)),
    )
    return status.endswith(" 1")


async def update_staff(conn: Connection, staff_id: str, changes: dict[str, Any]) -> None:
    fields = [f for f in EDITABLE if f in changes]
    if not fields:
        return
    assignments = ", ".join(f"{f} = ${i + 2}" for i, f in enumerate(fields))
    await conn.execute(
        f"UPDATE staff SET {assignments}, updated_at = now() WHERE staff_id = $1",
        staff_id,
        *(changes[f] for f in fields),
    )


async def get_staff(conn: Connection, staff_id: str, *, lock: bool = False) -> asyncpg.Record | None:
    suffix = " FOR UPDATE" if lock else ""
    return await conn.fetchrow(f"SELECT {STAFF_COLUMNS} FROM staff WHERE staff_id = $1{suffix}", staff_id)


async def list_staff(
    conn: Connection, scope: Scope, estate_id: str | None, role: str | None, department: str | None
) -> list[asyncpg.Record]:
    return await conn.fetch(
        f"""SELECT {STAFF_COLUMNS} FROM staff
            WHERE group_id = $1 AND ($2::text[] IS NULL OR estate_id = ANY($2::text[]))
              AND ($3::text IS NULL OR estate_id = $3) AND ($4::text IS NULL OR role = $4)
              AND ($5::text IS NULL OR department = $5)
            ORDER BY estate_id, role, staff_id""",
        scope.group_id,
        scope.estate_ids,
        estate_id,
        role,
        department,
    )


async def lock_estate_staff(conn: Connection, estates: Sequence[tuple[str, str]]) -> list[asyncpg.Record]:
    """Every person of these (group, estate) pairs with the estate's time zone, locked in id order: one
    statement for a whole poll, and the same order as every other assigner, so none deadlocks."""
    return await conn.fetch(
        """SELECT s.staff_id, s.group_id, s.estate_id, s.role, s.department, s.door_visits, s.active,
                  s.open_load, s.assigned_day, s.assigned_today, e.timezone
           FROM staff s
           JOIN unnest($1::text[], $2::text[]) AS w(group_id, estate_id)
             ON s.group_id = w.group_id AND s.estate_id = w.estate_id
           LEFT JOIN estates e ON e.estate_id = s.estate_id
           ORDER BY s.staff_id FOR UPDATE OF s""",
        [g for g, _e in estates],
        [e for _g, e in estates],
    )


async def move_loads(conn: Connection, rows: Sequence[tuple[str, int, date | None, int, bool]]) -> None:
    """Per person: (staff id, net change of open load, last duty day assigned on, assignments that day
    in this batch, whether all the batch's assignments fell on that day) — one statement."""
    if not rows:
        return
    await conn.execute(
        """UPDATE staff s SET
               open_load = greatest(s.open_load + m.delta, 0),
               assigned_today = CASE WHEN m.day IS NULL THEN s.assigned_today
                                     WHEN m.same_day AND s.assigned_day = m.day THEN s.assigned_today + m.n
                                     ELSE m.n END,
               assigned_day = coalesce(m.day, s.assigned_day)
           FROM unnest($1::text[], $2::int[], $3::date[], $4::int[], $5::bool[]) AS m(staff_id, delta, day, n, same_day)
           WHERE s.staff_id = m.staff_id""",
        *(list(column) for column in zip(*rows, strict=True)),
    )
