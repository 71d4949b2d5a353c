"""The staff directory table: rows in, rows out, and the candidate lock assignment relies on."""

from __future__ import annotations

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


async def lock_candidates(conn: Connection, group_id: str, estate_id: str, role: str) -> list[asyncpg.Record]:
    """Every person of the role in the estate, locked in id order (so two assigners never deadlock):
    a second consumer or a manager's reassignment waits, then sees the load this one added."""
    return await conn.fetch(
        f"""SELECT {STAFF_COLUMNS} FROM staff WHERE group_id = $1 AND estate_id = $2 AND role = $3
            ORDER BY staff_id FOR UPDATE""",
        group_id,
        estate_id,
        role,
    )


async def add_load(conn: Connection, staff_id: str, duty_date: date) -> None:
    """One more open callback; counts toward the duty day's assignments (the first tie-break)."""
    await conn.execute(
        """UPDATE staff SET open_load = open_load + 1,
                  assigned_today = CASE WHEN assigned_day = $2 THEN assigned_today + 1 ELSE 1 END,
                  assigned_day = $2
           WHERE staff_id = $1""",
        staff_id,
        duty_date,
    )


async def drop_load(conn: Connection, staff_id: str) -> None:
    await conn.execute("UPDATE staff SET open_load = greatest(open_load - 1, 0) WHERE staff_id = $1", staff_id)
