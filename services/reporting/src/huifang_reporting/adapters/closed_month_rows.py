"""The month-close streams' projection: one `closed_months` row per closed estate-month."""

from __future__ import annotations

from collections.abc import Sequence

from huifang_infra.db import Connection

from huifang_reporting.domain.events import MonthClosing

#: What a state rebuild empties and refills from the month-close streams.
CLOSED_MONTH_TABLES = ("closed_months",)

_UPSERT = """
INSERT INTO closed_months (group_id, estate_id, month, closed_at, closed_by) VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (group_id, estate_id, month) DO UPDATE SET closed_at = EXCLUDED.closed_at, closed_by = EXCLUDED.closed_by"""


async def write_closed_months(conn: Connection, closings: Sequence[MonthClosing]) -> None:
    rows = {
        (c.group_id, c.estate_id, c.month): (c.group_id, c.estate_id, c.month, c.closed_at, c.closed_by)
        for c in (m.closed for m in closings)
        if c is not None
    }
    if rows:
        await conn.executemany(_UPSERT, list(rows.values()))
