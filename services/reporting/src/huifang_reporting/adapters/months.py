"""Which estate-months a write touches: read before, recomputed after, so both get refreshed.

A fact can move month (a completion seen before its schedule; an estate whose zone changes), and
the month it left must be recounted as well as the one it joined.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from huifang_infra.db import Connection

Key = tuple[str, str, str]
"""(group_id, estate_id, month)"""
Ident = tuple[str, str, str]
"""(group_id, estate_id, fact id)"""

#: The instant that decides each fact table's month, and its id column.
MONTH_OF: dict[str, tuple[str, str]] = {
    # a callback belongs to the month it is owed in (due_at); a late completion updates that month
    "callbacks": ("callback_id", "COALESCE(due_at, completed_at, failed_at, overdue_at, first_attempt_at, seen_at)"),
    "sources": ("source_id", "closed_at"),
    "complaints": ("complaint_id", "COALESCE(received_at, resolved_at)"),
    "campaigns": ("campaign_id", "opens_at"),
    # questionnaires count in their campaign's month (R-SV-4 per campaign)
    "questionnaires": (
        "questionnaire_id",
        "COALESCE((SELECT c.opens_at FROM campaigns c WHERE c.group_id = t.group_id AND c.estate_id = t.estate_id"
        " AND c.campaign_id = t.campaign_id), returned_at)",
    ),
}


def _columns(idents: Sequence[Ident]) -> tuple[list[str], list[str], list[str]]:
    return [i[0] for i in idents], [i[1] for i in idents], [i[2] for i in idents]


async def months_of(conn: Connection, table: str, idents: Sequence[Ident], id_col: str | None = None) -> set[Key]:
    column = id_col or MONTH_OF[table][0]
    rows = await conn.fetch(
        f"""SELECT DISTINCT group_id, estate_id, month FROM {table}
            WHERE month IS NOT NULL AND (group_id, estate_id, {column}) IN
                  (SELECT * FROM unnest($1::text[], $2::text[], $3::text[]))""",
        *_columns(idents),
    )
    return {(r["group_id"], r["estate_id"], r["month"]) for r in rows}


async def remonth(conn: Connection, table: str, idents: Sequence[Ident], id_col: str | None = None) -> set[Key]:
    key_col, instant = MONTH_OF[table]
    column = id_col or key_col
    rows = await conn.fetch(
        f"""UPDATE {table} t SET month = reporting_month({instant}, t.group_id, t.estate_id)
            WHERE (t.group_id, t.estate_id, t.{column}) IN (SELECT * FROM unnest($1::text[], $2::text[], $3::text[]))
            RETURNING t.group_id, t.estate_id, t.month""",
        *_columns(idents),
    )
    return {(r["group_id"], r["estate_id"], r["month"]) for r in rows if r["month"] is not None}


async def touching(
    conn: Connection, table: str, idents: Sequence[Ident], write: Callable[[], Awaitable[object]]
) -> set[Key]:
    """Run `write` on `table`'s rows `idents`; the months they were in and are in now."""
    before = await months_of(conn, table, idents)
    await write()
    return before | await remonth(conn, table, idents)


async def estate_months(conn: Connection, estates: Sequence[tuple[str, str]]) -> set[Key]:
    """Every month any fact of these estates is in (an estate's zone changed: recount them all)."""
    keys: set[Key] = set()
    groups, ids = [g for g, _ in estates], [e for _, e in estates]
    for table in MONTH_OF:
        rows = await conn.fetch(
            f"""SELECT DISTINCT group_id, estate_id, month FROM {table} WHERE month IS NOT NULL
                AND (group_id, estate_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))""",
            groups,
            ids,
        )
        keys |= {(r["group_id"], r["estate_id"], r["month"]) for r in rows}
    return keys


async def remonth_estates(conn: Connection, estates: Sequence[tuple[str, str]]) -> None:
    groups, ids = [g for g, _ in estates], [e for _, e in estates]
    for table, (_, instant) in MONTH_OF.items():
        await conn.execute(
            f"""UPDATE {table} t SET month = reporting_month({instant}, t.group_id, t.estate_id)
                WHERE (t.group_id, t.estate_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))""",
            groups,
            ids,
        )
