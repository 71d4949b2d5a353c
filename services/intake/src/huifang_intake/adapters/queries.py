"""Paged, filtered reads of the `records` projection, always inside the caller's group and estates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from huifang_infra.db import Connection

FILTERS = ("status", "kind", "channel", "category", "grade", "validity")


@dataclass(frozen=True)
class RecordFilter:
    status: str | None = None
    kind: str | None = None
    channel: str | None = None
    category: str | None = None
    grade: str | None = None
    validity: str | None = None
    opened_from: datetime | None = None
    opened_to: datetime | None = None


async def list_records(
    conn: Connection,
    group_id: str,
    estate_ids: list[str] | None,
    record_type: str,
    filters: RecordFilter,
    page: int,
    page_size: int,
) -> tuple[list[dict[str, Any]], int]:
    """Newest first; `opened_from` inclusive, `opened_to` exclusive."""
    where = ["group_id = $1", "record_type = $2", "($3::text[] IS NULL OR estate_id = ANY($3::text[]))"]
    args: list[Any] = [group_id, record_type, estate_ids]
    for name in FILTERS:
        value = getattr(filters, name)
        if value is not None:
            args.append(value)
            where.append(f"{name} = ${len(args)}")
    if filters.opened_from is not None:
        args.append(filters.opened_from)
        where.append(f"opened_at >= ${len(args)}")
    if filters.opened_to is not None:
        args.append(filters.opened_to)
        where.append(f"opened_at < ${len(args)}")
    clause = " AND ".join(where)
    total = await conn.fetchval(f"SELECT count(*) FROM records WHERE {clause}", *args)
    rows = await conn.fetch(
        f"""SELECT * FROM records WHERE {clause} ORDER BY opened_at DESC, record_id
            LIMIT {int(page_size)} OFFSET {int((page - 1) * page_size)}""",
        *args,
    )
    return [dict(r) for r in rows], int(total)
