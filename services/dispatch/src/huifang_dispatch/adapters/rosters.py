"""Roster tables: published shifts, approved changes, and the duty facts assignment reads."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

import asyncpg
from huifang_infra.auth import Scope
from huifang_infra.db import Connection

from huifang_dispatch.domain.roster import ApprovedChange, DutyFacts, duty_facts


async def duty_facts_on(conn: Connection, group_id: str, estate_id: str, duty_date: date) -> DutyFacts:
    """Who works on a duty day of the estate, from its published rosters and approved changes."""
    # One round trip: the month's published shifts (kind NULL) and the approved changes touching the day.
    rows = await conn.fetch(
        """SELECT NULL AS kind, s.duty_date, s.staff_id, NULL AS substitute_id, NULL::date AS swap_date
           FROM roster_shifts s JOIN rosters r USING (roster_id)
           WHERE r.group_id = $1 AND r.estate_id = $2 AND r.month = $3 AND r.status = 'published'
           UNION ALL
           SELECT kind, duty_date, staff_id, substitute_id, swap_date FROM roster_changes
           WHERE group_id = $1 AND estate_id = $2 AND status = 'approved' AND (duty_date = $4 OR swap_date = $4)""",
        group_id,
        estate_id,
        duty_date.strftime("%Y-%m"),
        duty_date,
    )
    shifts = [r for r in rows if r["kind"] is None]
    changes = [r for r in rows if r["kind"] is not None]
    return duty_facts(
        duty_date,
        [(r["duty_date"], r["staff_id"]) for r in shifts],
        [ApprovedChange(r["kind"], r["duty_date"], r["staff_id"], r["substitute_id"], r["swap_date"]) for r in changes],
        {r["staff_id"] for r in shifts},
        roster_published=bool(shifts),
    )


async def insert_roster(
    conn: Connection, roster_id: str, group_id: str, estate_id: str, center: str, month: str, by: str
) -> bool:
    status = await conn.execute(
        """INSERT INTO rosters (roster_id, group_id, estate_id, service_center, month, created_by)
           VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING""",
        roster_id,
        group_id,
        estate_id,
        center,
        month,
        by,
    )
    return status.endswith(" 1")


async def replace_shifts(conn: Connection, roster: asyncpg.Record, shifts: list[tuple[date, str]]) -> None:
    await conn.execute("DELETE FROM roster_shifts WHERE roster_id = $1", roster["roster_id"])
    await conn.executemany(
        "INSERT INTO roster_shifts (roster_id, group_id, estate_id, duty_date, staff_id) VALUES ($1, $2, $3, $4, $5)",
        [(roster["roster_id"], roster["group_id"], roster["estate_id"], day, person) for day, person in shifts],
    )


async def get_roster(conn: Connection, roster_id: str, *, lock: bool = False) -> asyncpg.Record | None:
    return await conn.fetchrow(
        "SELECT * FROM rosters WHERE roster_id = $1" + (" FOR UPDATE" if lock else ""), roster_id
    )


async def roster_shifts(conn: Connection, roster_id: str) -> list[tuple[date, str]]:
    rows = await conn.fetch(
        "SELECT duty_date, staff_id FROM roster_shifts WHERE roster_id = $1 ORDER BY duty_date, staff_id", roster_id
    )
    return [(r["duty_date"], r["staff_id"]) for r in rows]


async def publish(conn: Connection, roster_id: str, by: str, at: datetime, late: bool) -> None:
    await conn.execute(
        """UPDATE rosters SET status = 'published', published_by = $2, published_at = $3, published_late = $4
           WHERE roster_id = $1""",
        roster_id,
        by,
        at,
        late,
    )


async def list_rosters(
    conn: Connection, scope: Scope, estate_id: str | None, month: str | None
) -> list[asyncpg.Record]:
    return await conn.fetch(
        """SELECT * FROM rosters WHERE group_id = $1 AND ($2::text[] IS NULL OR estate_id = ANY($2::text[]))
             AND ($3::text IS NULL OR estate_id = $3) AND ($4::text IS NULL OR month = $4)
           ORDER BY estate_id, service_center, month""",
        scope.group_id,
        scope.estate_ids,
        estate_id,
        month,
    )


async def insert_change(conn: Connection, row: dict[str, object]) -> None:
    await conn.execute(
        """INSERT INTO roster_changes (change_id, roster_id, group_id, estate_id, kind, duty_date, staff_id,
                                       substitute_id, swap_date, reason, requested_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)""",
        *(
            row[k]
            for k in (
                "change_id",
                "roster_id",
                "group_id",
                "estate_id",
                "kind",
                "duty_date",
                "staff_id",
                "substitute_id",
                "swap_date",
                "reason",
                "requested_by",
            )
        ),
    )


async def get_change(conn: Connection, change_id: str, *, lock: bool = False) -> asyncpg.Record | None:
    return await conn.fetchrow(
        "SELECT * FROM roster_changes WHERE change_id = $1" + (" FOR UPDATE" if lock else ""), change_id
    )


async def decide_change(conn: Connection, change_id: str, status: str, by: str, at: datetime) -> None:
    await conn.execute(
        "UPDATE roster_changes SET status = $2, decided_by = $3, decided_at = $4 WHERE change_id = $1",
        change_id,
        status,
        by,
        at,
    )


async def duty_facts_for(conn: Connection, days: Sequence[tuple[str, str, date]]) -> dict[tuple[str, date], DutyFacts]:
    """`duty_facts_on` for many (group, estate, duty day) at once: one statement for a whole poll."""
    if not days:
        return {}
    rows = await conn.fetch(
        """WITH w AS (SELECT * FROM unnest($1::text[], $2::text[], $3::date[]) AS w(group_id, estate_id, day))
           SELECT w.estate_id, w.day, NULL AS kind, s.duty_date, s.staff_id, NULL AS substitute_id,
                  NULL::date AS swap_date
           FROM w JOIN rosters r ON r.group_id = w.group_id AND r.estate_id = w.estate_id
                               AND r.month = to_char(w.day, 'YYYY-MM') AND r.status = 'published'
                  JOIN roster_shifts s USING (roster_id)
           UNION ALL
           SELECT w.estate_id, w.day, c.kind, c.duty_date, c.staff_id, c.substitute_id, c.swap_date
           FROM w JOIN roster_changes c ON c.group_id = w.group_id AND c.estate_id = w.estate_id
                                      AND c.status = 'approved' AND (c.duty_date = w.day OR c.swap_date = w.day)""",
        [g for g, _e, _d in days],
        [e for _g, e, _d in days],
        [d for _g, _e, d in days],
    )
    found: dict[tuple[str, date], list[asyncpg.Record]] = {(e, d): [] for _g, e, d in days}
    for row in rows:
        found[(row["estate_id"], row["day"])].append(row)
    facts = {}
    for (estate_id, day), day_rows in found.items():
        shifts = [r for r in day_rows if r["kind"] is None]
        changes = [
            ApprovedChange(r["kind"], r["duty_date"], r["staff_id"], r["substitute_id"], r["swap_date"])
            for r in day_rows
            if r["kind"] is not None
        ]
        facts[(estate_id, day)] = duty_facts(
            day,
            [(r["duty_date"], r["staff_id"]) for r in shifts],
            changes,
            {r["staff_id"] for r in shifts},
            roster_published=bool(shifts),
        )
    return facts
