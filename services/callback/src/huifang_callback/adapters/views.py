"""Read-side queries for the API: callback lists with filters, always inside the caller's scope."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from huifang_infra.db import Connection


async def list_callbacks(
    conn: Connection,
    *,
    group_id: str,
    estate_ids: list[str] | None,
    states: list[str] | None,
    estate_id: str | None,
    kind: str | None,
    rule_id: str | None,
    due_from: datetime | None,
    due_to: datetime | None,
    limit: int,
    offset: int,
) -> list[dict[str, Any]]:
    rows = await conn.fetch(
        """SELECT c.*, coalesce(e.timezone, 'Asia/Shanghai') AS timezone
           FROM callbacks c LEFT JOIN estates e ON e.estate_id = c.estate_id
           WHERE c.group_id = $1 AND ($2::text[] IS NULL OR c.estate_id = ANY($2::text[]))
             AND ($3::text[] IS NULL OR c.state = ANY($3::text[]))
             AND ($4::text IS NULL OR c.estate_id = $4) AND ($5::text IS NULL OR c.kind = $5)
             AND ($6::text IS NULL OR c.rule_id = $6)
             AND ($7::timestamptz IS NULL OR c.due_at >= $7) AND ($8::timestamptz IS NULL OR c.due_at < $8)
           ORDER BY c.due_at, c.callback_id LIMIT $9 OFFSET $10""",
        group_id,
        estate_ids,
        states,
        estate_id,
        kind,
        rule_id,
        due_from,
        due_to,
        limit,
        offset,
    )
    return [dict(r) for r in rows]


async def get_callback(conn: Connection, callback_id: str) -> dict[str, Any] | None:
    row = await conn.fetchrow(
        """SELECT c.*, coalesce(e.timezone, 'Asia/Shanghai') AS timezone
           FROM callbacks c LEFT JOIN estates e ON e.estate_id = c.estate_id WHERE c.callback_id = $1""",
        callback_id,
    )
    return dict(row) if row else None
