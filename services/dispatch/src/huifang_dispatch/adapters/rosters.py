"""Roster tables — rosters, their shifts, leave and swaps — as projections of the roster streams (written
here from what the repository decided), the queries, and the duty facts assignment reads."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import asyncpg
from huifang_infra.auth import Scope
from huifang_infra.db import Connection
from huifang_infra.repository import Decided

from huifang_dispatch.domain.events import (
    RosterChangeDecided,
    RosterChangeRequested,
    RosterDrafted,
    RosterImported,
    RosterPublished,
    RosterShiftsSet,
)
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


async def get_roster(conn: Connection, roster_id: str, *, lock: bool = False) -> asyncpg.Record | None:
    return await conn.fetchrow(
        "SELECT * FROM rosters WHERE roster_id = $1" + (" FOR UPDATE" if lock else ""), roster_id
    )


async def roster_shifts(conn: Connection, roster_id: str) -> list[tuple[date, str]]:
    rows = await conn.fetch(
        "SELECT duty_date, staff_id FROM roster_shifts WHERE roster_id = $1 ORDER BY duty_date, staff_id", roster_id
    )
    return [(r["duty_date"], r["staff_id"]) for r in rows]


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


async def get_change(conn: Connection, change_id: str, *, lock: bool = False) -> asyncpg.Record | None:
    return await conn.fetchrow(
        "SELECT * FROM roster_changes WHERE change_id = $1" + (" FOR UPDATE" if lock else ""), change_id
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


_ROSTER = """INSERT INTO rosters (roster_id, group_id, estate_id, service_center, month, status, created_by, created_at,
                                 published_by, published_at, published_late)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"""
_CHANGE = """INSERT INTO roster_changes (change_id, roster_id, group_id, estate_id, kind, duty_date, staff_id,
                                        substitute_id, swap_date, reason, status, requested_by, requested_at,
                                        decided_by, decided_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)"""


async def project_rosters(conn: Connection, decided: Sequence[Decided[Any, Any, Any]]) -> None:
    """Each event as the rows it makes, in order (a batch is one request, or a rebuild's page)."""
    for d in decided:
        state = d.state
        for e in d.events:
            match e:
                case RosterDrafted():
                    row = (e.roster_id, e.group_id, e.estate_id, e.service_center, e.month, "draft", e.by, e.at)
                    await conn.execute(_ROSTER, *row, None, None, False)
                case RosterShiftsSet():
                    await _replace_shifts(conn, state.roster_id, [(s.duty_date, s.staff_id) for s in e.shifts])
                case RosterPublished():
                    await conn.execute(
                        """UPDATE rosters SET status = 'published', published_by = $2, published_at = $3,
                                  published_late = $4 WHERE roster_id = $1""",
                        state.roster_id, e.by, e.at, e.late,
                    )  # fmt: skip
                case RosterChangeRequested():
                    await conn.execute(
                        _CHANGE, e.change_id, state.roster_id, state.group_id, await _estate(conn, state.roster_id),
                        e.kind, e.duty_date, e.staff_id, e.substitute_id, e.swap_date, e.reason, "requested",
                        e.requested_by, e.at, None, None,
                    )  # fmt: skip
                case RosterChangeDecided():
                    await conn.execute(
                        "UPDATE roster_changes SET status = $2, decided_by = $3, decided_at = $4 WHERE change_id = $1",
                        e.change_id, e.status, e.by, e.at,
                    )  # fmt: skip
                case RosterImported(roster=r):
                    await conn.execute(
                        _ROSTER, r.roster_id, r.group_id, r.estate_id, r.service_center, r.month, r.status,
                        r.created_by, r.created_at, r.published_by, r.published_at, r.published_late,
                    )  # fmt: skip
                    await _replace_shifts(conn, r.roster_id, [(s.duty_date, s.staff_id) for s in e.shifts])
                    await conn.executemany(
                        _CHANGE,
                        [
                            (c.change_id, r.roster_id, r.group_id, r.estate_id, c.kind, c.duty_date, c.staff_id,
                             c.substitute_id, c.swap_date, c.reason, c.status, c.requested_by, c.requested_at,
                             c.decided_by, c.decided_at)
                            for c in e.changes
                        ],
                    )  # fmt: skip


async def _estate(conn: Connection, roster_id: str) -> str:
    value = await conn.fetchval("SELECT estate_id FROM rosters WHERE roster_id = $1", roster_id)
    return str(value)


async def _replace_shifts(conn: Connection, roster_id: str, shifts: list[tuple[date, str]]) -> None:
    await conn.execute("DELETE FROM roster_shifts WHERE roster_id = $1", roster_id)
    await conn.executemany(
        """INSERT INTO roster_shifts (roster_id, group_id, estate_id, duty_date, staff_id)
           SELECT roster_id, group_id, estate_id, $2, $3 FROM rosters WHERE roster_id = $1""",
        [(roster_id, day, person) for day, person in shifts],
    )


async def empty_rosters(conn: Connection) -> None:
    await conn.execute("TRUNCATE roster_changes, roster_shifts, rosters")
