"""Closed orders kept for the monthly sample (R-CB-4): the population is read from here."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from huifang_infra.db import Connection

_COLUMNS = [
    ("order_id", "text"),
    ("group_id", "text"),
    ("estate_id", "text"),
    ("kind", "text"),
    ("category", "text"),
    ("subcategory", "text"),
    ("unit_id", "text"),
    ("department", "text"),
    ("requester_name", "text"),
    ("requester_phone", "text"),
    ("erp_id", "text"),
    ("urgent", "bool"),
    ("closed_at", "timestamptz"),
    ("local_month", "text"),
    ("correlation_id", "uuid"),
    ("worker_id", "text"),
]
_NAMES = ", ".join(name for name, _ in _COLUMNS)
_ARRAYS = ", ".join(f"${i}::{kind}[]" for i, (_, kind) in enumerate(_COLUMNS, start=1))
# A redelivered or re-sent OrderClosed keeps the first row: the order closed once.
_UPSERT = f"INSERT INTO closed_orders ({_NAMES}) SELECT * FROM unnest({_ARRAYS}) ON CONFLICT DO NOTHING"


async def keep_closed_orders(conn: Connection, rows: Sequence[tuple[Any, ...]]) -> None:
    """Rows in `_COLUMNS` order, one statement for the batch."""
    if rows:
        await conn.execute(_UPSERT, *[list(column) for column in zip(*rows, strict=True)])


async def population(
    conn: Connection, estate_id: str, month: str, kinds: list[str], categories: list[str]
) -> list[dict[str, Any]]:
    """R-CB-4: that month's closed general (not emergency, not major) orders of the sampled kinds."""
    rows = await conn.fetch(
        """SELECT order_id, group_id, estate_id, kind, category, subcategory, unit_id, department,
                  requester_name, requester_phone, erp_id, closed_at, correlation_id, worker_id
           FROM closed_orders
           WHERE estate_id = $1 AND local_month = $2 AND NOT urgent
             AND (cardinality($3::text[]) = 0 OR kind = ANY($3::text[]))
             AND (cardinality($4::text[]) = 0 OR category = ANY($4::text[]))
           ORDER BY order_id""",
        estate_id,
        month,
        kinds,
        categories,
    )
    return [dict(r) for r in rows]


async def populations(conn: Connection, estate_ids: list[str], months: list[str]) -> list[Any]:
    """The closed general orders of many estates and months at once (a chunk of draws, one query)."""
    rows = await conn.fetch(
        """SELECT order_id, group_id, estate_id, kind, category, subcategory, unit_id, department,
                  requester_name, requester_phone, erp_id, closed_at, correlation_id, local_month, worker_id
           FROM closed_orders
           WHERE estate_id = ANY($1::text[]) AND local_month = ANY($2::text[]) AND NOT urgent""",
        estate_ids,
        months,
    )
    return list(rows)  # records read like dicts; converting 200,000 of them costs more than the query
