"""The staff directory table with each person's load: rows in, rows out, and the lock assignment relies on."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import asyncpg
from huifang_infra.auth import Scope
from huifang_infra.db import Connection

STAFF_COLUMNS = (
    "s.staff_id, s.group_id, s.estate_id, s.name, s.role, s.department, s.phone, s.service_center, s.door_visits, "
    "s.active, coalesce(l.open_load, 0) AS open_load, l.assigned_day, coalesce(l.assigned_today, 0) AS assigned_today"
)
#: The directory with each person's load (a projection of the assignment streams, `staff_loads`).
STAFF_WITH_LOADS = "staff s LEFT JOIN staff_loads l USING (staff_id)"
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
    suffix = " FOR UPDATE OF s" if lock else ""
    return await conn.fetchrow(f"SELECT {STAFF_COLUMNS} FROM {STAFF_WITH_LOADS} WHERE staff_id = $1{suffix}", staff_id)


async def list_staff(
    conn: Connection, scope: Scope, estate_id: str | None, role: str | None, department: str | None
) -> list[asyncpg.Record]:
    return await conn.fetch(
        f"""SELECT {STAFF_COLUMNS} FROM {STAFF_WITH_LOADS}
            WHERE s.group_id = $1 AND ($2::text[] IS NULL OR s.estate_id = ANY($2::text[]))
              AND ($3::text IS NULL OR s.estate_id = $3) AND ($4::text IS NULL OR s.role = $4)
              AND ($5::text IS NULL OR s.department = $5)
            ORDER BY s.estate_id, s.role, s.staff_id""",
        scope.group_id,
        scope.estate_ids,
        estate_id,
        role,
        department,
    )


async def lock_estate_staff(conn: Connection, estates: Sequence[tuple[str, str]]) -> list[dict[str, Any]]:
    """Every person of these (group, estate) pairs with the estate's time zone and their load, locked in id
    order: the same order as every other assigner, so none deadlocks, and each sees the load the one before
    it left. The loads are read by a second statement once the locks are held: a statement that waited for
    a lock sees the locked rows as they are now, but the rows it joined only as they were when it began."""
    rows = await conn.fetch(
        """SELECT s.staff_id, s.group_id, s.estate_id, s.role, s.department, s.door_visits, s.active, e.timezone
           FROM staff s
           JOIN unnest($1::text[], $2::text[]) AS w(group_id, estate_id)
             ON s.group_id = w.group_id AND s.estate_id = w.estate_id
           LEFT JOIN estates e ON e.estate_id = s.estate_id
           ORDER BY s.staff_id FOR UPDATE OF s""",
        [g for g, _e in estates],
        [e for _g, e in estates],
    )
    if not rows:
        return []
    loads = await conn.fetch(
        "SELECT staff_id, open_load, assigned_day, assigned_today FROM staff_loads WHERE staff_id = ANY($1::text[])",
        [r["staff_id"] for r in rows],
    )
    by_id = {r["staff_id"]: r for r in loads}
    return [_with_load(r, by_id.get(r["staff_id"])) for r in rows]


def _with_load(row: asyncpg.Record, load: asyncpg.Record | None) -> dict[str, Any]:
    found = dict(row)
    found["open_load"] = load["open_load"] if load else 0
    found["assigned_day"] = load["assigned_day"] if load else None
    found["assigned_today"] = load["assigned_today"] if load else 0
    return found


async def move_loads(conn: Connection, rows: Sequence[tuple[str, int, date | None, int]]) -> None:
    """Per person: (staff id, net change of open load, latest duty day assigned on, assignments that day)
    — one statement. The latest day wins whatever order the batch came in, so a rebuild stream by stream
    gives what the live writes gave in time order."""
    if not rows:
        return
    # The people moved are locked (every writer of loads locks the estate's staff rows first), so the
    # update-or-insert below never races another for the same person.
    await conn.execute(
        """WITH m AS (SELECT * FROM unnest($1::text[], $2::int[], $3::date[], $4::int[]) AS m(staff_id, delta, day, n)),
                up AS (
                    UPDATE staff_loads s SET
                        open_load = greatest(s.open_load + m.delta, 0),
                        assigned_today = CASE WHEN m.day IS NULL OR s.assigned_day > m.day THEN s.assigned_today
                                              WHEN s.assigned_day = m.day THEN s.assigned_today + m.n
                                              ELSE m.n END,
                        assigned_day = CASE WHEN m.day IS NULL THEN s.assigned_day
                                            ELSE greatest(s.assigned_day, m.day) END
                    FROM m WHERE s.staff_id = m.staff_id
                    RETURNING s.staff_id)
           INSERT INTO staff_loads (staff_id, open_load, assigned_day, assigned_today)
           SELECT m.staff_id, greatest(m.delta, 0), m.day, CASE WHEN m.day IS NULL THEN 0 ELSE m.n END
           FROM m WHERE m.staff_id NOT IN (SELECT staff_id FROM up)""",
        *(list(column) for column in zip(*rows, strict=True)),
    )
