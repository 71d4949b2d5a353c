"""Read queries over the projections; every one carries the caller's scope (group, estates)."""

from __future__ import annotations

from typing import Any

from huifang_infra.auth import Scope
from huifang_infra.db import Connection

from huifang_reporting.domain.counting import CallbackFact, callback_counts
from huifang_reporting.domain.kpis import Counts
from huifang_reporting.domain.months import cover

_SCOPE = "group_id = $1 AND ($2::text[] IS NULL OR estate_id = ANY($2::text[]))"
_SUMS = ", ".join(f"sum({name})::int AS {name}" for name in Counts.names())


def _scope_args(scope: Scope, estate_id: str | None) -> tuple[str, list[str] | None]:
    estates = scope.estate_ids
    if estate_id is not None:
        estates = [estate_id]
    return scope.group_id, estates


async def by_estate(conn: Connection, scope: Scope, first: str, last: str) -> list[tuple[str, Counts]]:
    """R-RP-4: the group roll-up, one sum per estate over the months (the overview's query).

    Whole years and quarters come from their own rows (sums of their months, kept by the recount):
    two years of a thousand estates are 2 000 rows to add up rather than 24 000.
    """
    years, quarters, months = cover(first, last)
    rows = await conn.fetch(
        f"""SELECT estate_id, {_SUMS} FROM (
                SELECT * FROM estate_year_kpis WHERE {_SCOPE} AND year = ANY($3::text[])
                UNION ALL
                SELECT * FROM estate_quarter_kpis WHERE {_SCOPE} AND quarter = ANY($4::text[])
                UNION ALL
                SELECT * FROM estate_month_kpis WHERE {_SCOPE} AND month = ANY($5::text[])
            ) AS parts GROUP BY estate_id ORDER BY estate_id""",
        *_scope_args(scope, None),
        years,
        quarters,
        months,
    )
    # positional: the sums come in `Counts` field order (a thousand rows, no per-name lookups)
    return [(r[0], Counts(*r[1:])) for r in rows]


async def by_month(
    conn: Connection, scope: Scope, first: str, last: str, estate_id: str | None = None
) -> dict[str, Counts]:
    """The trend: one sum per month over the scope's estates (or one estate)."""
    rows = await conn.fetch(
        f"""SELECT month, {_SUMS} FROM estate_month_kpis
            WHERE {_SCOPE} AND month BETWEEN $3 AND $4 GROUP BY month ORDER BY month""",
        *_scope_args(scope, estate_id),
        first,
        last,
    )
    return {r[0]: Counts(*r[1:]) for r in rows}


async def estate_month(conn: Connection, group_id: str, estate_id: str, month: str) -> Counts:
    row = await conn.fetchrow(
        "SELECT * FROM estate_month_kpis WHERE group_id = $1 AND estate_id = $2 AND month = $3",
        group_id,
        estate_id,
        month,
    )
    return Counts.from_row(row) if row is not None else Counts()


_DRILL = {
    "department": "COALESCE(department, '')",
    "staff": "COALESCE(caller_id, assignee_id, '')",
    "category": "COALESCE(category, '')",
}


async def drill_down(
    conn: Connection, group_id: str, estate_id: str, by: str, first: str, last: str, department: str | None = None
) -> list[tuple[str, Counts]]:
    """R-RP-4: one estate's callbacks by department, staff or category (optionally within a department).

    The facts are read and counted by `domain/counting.py`, the rules the roll-up's recount holds in SQL.
    """
    column = _DRILL[by]
    rows = await conn.fetch(
        f"""SELECT {column} AS key, kind, due_at IS NOT NULL AS due, completed_at IS NOT NULL AS completed,
                   satisfied_or_fair, late, failed_at IS NOT NULL AS failed, overdue_at IS NOT NULL AS overdue
            FROM callbacks
            WHERE group_id = $1 AND estate_id = $2 AND month BETWEEN $3 AND $4
              AND ($5::text IS NULL OR COALESCE(department, '') = $5)
            ORDER BY 1""",
        group_id,
        estate_id,
        first,
        last,
        department,
    )
    by_key: dict[str, list[CallbackFact]] = {}
    for r in rows:
        fact = CallbackFact(r[1], r[2], r[3], r[4], r[5], r[6], r[7])
        by_key.setdefault(r[0], []).append(fact)
    return [(key, callback_counts(facts)) for key, facts in by_key.items()]


async def item_satisfaction(
    conn: Connection, scope: Scope, first: str, last: str, estate_id: str | None = None
) -> tuple[int, dict[str, int]]:
    """R-SV-4: questionnaires returned, and per dimension those rating it satisfied or fairly satisfied."""
    rows = await conn.fetch(
        f"""SELECT d.key AS dimension, count(*) FILTER (WHERE (d.value ->> 'ok')::boolean) AS ok
            FROM questionnaires, jsonb_each(answers) AS d
            WHERE {_SCOPE} AND month BETWEEN $3 AND $4 GROUP BY 1""",
        *_scope_args(scope, estate_id),
        first,
        last,
    )
    returned = await conn.fetchval(
        f"SELECT count(*) FROM questionnaires WHERE {_SCOPE} AND month BETWEEN $3 AND $4",
        *_scope_args(scope, estate_id),
        first,
        last,
    )
    return int(returned), {r["dimension"]: int(r["ok"]) for r in rows}


async def complaints_by_category(
    conn: Connection, scope: Scope, first: str, last: str, estate_id: str | None = None
) -> dict[str, int]:
    rows = await conn.fetch(
        f"""SELECT COALESCE(category, '') AS category, count(*) AS n FROM complaints
            WHERE {_SCOPE} AND month BETWEEN $3 AND $4 GROUP BY 1 ORDER BY 1""",
        *_scope_args(scope, estate_id),
        first,
        last,
    )
    return {r["category"]: int(r["n"]) for r in rows}


async def estates_in_scope(conn: Connection, scope: Scope) -> dict[str, dict[str, Any]]:
    rows = await conn.fetch(
        f"SELECT estate_id, name, timezone, zone, region FROM estates WHERE {_SCOPE} ORDER BY estate_id",
        *_scope_args(scope, None),
    )
    return {r["estate_id"]: dict(r) for r in rows}


async def staff_names(conn: Connection, group_id: str, estate_id: str) -> dict[str, str]:
    rows = await conn.fetch(
        "SELECT staff_id, name FROM staff WHERE group_id = $1 AND estate_id = $2", group_id, estate_id
    )
    return {r["staff_id"]: r["name"] for r in rows}
