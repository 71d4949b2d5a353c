"""Handover tables: the handovers, the items they carry, and what each handover carried."""

from __future__ import annotations

from datetime import date, datetime

import asyncpg
from huifang_infra.db import Connection


async def open_items(
    conn: Connection, group_id: str, estate_id: str, center: str, *, lock: bool = False
) -> list[asyncpg.Record]:
    return await conn.fetch(
        """SELECT * FROM handover_items WHERE group_id = $1 AND estate_id = $2 AND service_center = $3
             AND status <> 'closed' ORDER BY seq"""
        + (" FOR UPDATE" if lock else ""),
        group_id,
        estate_id,
        center,
    )


async def insert_item(conn: Connection, row: dict[str, object]) -> None:
    await conn.execute(
        """INSERT INTO handover_items (item_id, group_id, estate_id, service_center, title, detail, important,
                                       opened_by, opened_at, opened_in)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)""",
        *(
            row[k]
            for k in (
                "item_id",
                "group_id",
                "estate_id",
                "service_center",
                "title",
                "detail",
                "important",
                "opened_by",
                "opened_at",
                "opened_in",
            )
        ),
    )


async def get_item(conn: Connection, item_id: str, *, lock: bool = False) -> asyncpg.Record | None:
    return await conn.fetchrow(
        "SELECT * FROM handover_items WHERE item_id = $1" + (" FOR UPDATE" if lock else ""), item_id
    )


async def close_item(conn: Connection, item_id: str, by: str, at: datetime, note: str | None) -> None:
    await conn.execute(
        """UPDATE handover_items SET status = 'closed', closed_by = $2, closed_at = $3, close_note = $4
           WHERE item_id = $1""",
        item_id,
        by,
        at,
        note,
    )


async def escalate_item(conn: Connection, item_id: str, to: str, by: str, at: datetime, note: str | None) -> None:
    await conn.execute(
        """UPDATE handover_items SET status = 'escalated', escalated_to = $2, escalated_by = $3, escalated_at = $4,
                  escalation_note = $5 WHERE item_id = $1""",
        item_id,
        to,
        by,
        at,
        note,
    )


async def insert_handover(conn: Connection, row: dict[str, object]) -> None:
    await conn.execute(
        """INSERT INTO handovers (handover_id, group_id, estate_id, service_center, duty_date, outgoing_id, incoming_id,
                                  notes, outgoing_signed_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)""",
        *(
            row[k]
            for k in (
                "handover_id",
                "group_id",
                "estate_id",
                "service_center",
                "duty_date",
                "outgoing_id",
                "incoming_id",
                "notes",
                "outgoing_signed_at",
            )
        ),
    )


async def record_carried(conn: Connection, handover_id: str, items: list[tuple[str, str]]) -> None:
    await conn.executemany(
        "INSERT INTO handover_carried (handover_id, item_id, status_at_handover) VALUES ($1, $2, $3)",
        [(handover_id, item_id, status) for item_id, status in items],
    )


async def get_handover(conn: Connection, handover_id: str, *, lock: bool = False) -> asyncpg.Record | None:
    return await conn.fetchrow(
        "SELECT * FROM handovers WHERE handover_id = $1" + (" FOR UPDATE" if lock else ""), handover_id
    )


async def carried(conn: Connection, handover_id: str) -> list[asyncpg.Record]:
    return await conn.fetch(
        """SELECT i.* FROM handover_carried c JOIN handover_items i USING (item_id)
           WHERE c.handover_id = $1 ORDER BY i.seq""",
        handover_id,
    )


async def sign_incoming(conn: Connection, handover_id: str, at: datetime) -> None:
    await conn.execute(
        "UPDATE handovers SET status = 'completed', incoming_signed_at = $2 WHERE handover_id = $1", handover_id, at
    )


async def list_handovers(conn: Connection, group_id: str, estate_id: str, since: date | None) -> list[asyncpg.Record]:
    return await conn.fetch(
        """SELECT * FROM handovers WHERE group_id = $1 AND estate_id = $2 AND ($3::date IS NULL OR duty_date >= $3)
           ORDER BY outgoing_signed_at DESC LIMIT 200""",
        group_id,
        estate_id,
        since,
    )
