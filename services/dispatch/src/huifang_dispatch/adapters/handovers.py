"""Handover tables — the handovers, the items they carry, what each handover carried — as projections
of the handover books' events (written here, from what the repository decided), and the queries."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import asyncpg
from huifang_infra.db import Connection
from huifang_infra.repository import Decided

from huifang_dispatch.domain.events import (
    HandedOver,
    HandoverBookImported,
    HandoverItemClosed,
    HandoverItemEscalated,
    HandoverItemOpened,
    HandoverTakenOver,
)


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


async def get_item(conn: Connection, item_id: str, *, lock: bool = False) -> asyncpg.Record | None:
    return await conn.fetchrow(
        "SELECT * FROM handover_items WHERE item_id = $1" + (" FOR UPDATE" if lock else ""), item_id
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


async def list_handovers(conn: Connection, group_id: str, estate_id: str, since: date | None) -> list[asyncpg.Record]:
    return await conn.fetch(
        """SELECT * FROM handovers WHERE group_id = $1 AND estate_id = $2 AND ($3::date IS NULL OR duty_date >= $3)
           ORDER BY outgoing_signed_at DESC LIMIT 200""",
        group_id,
        estate_id,
        since,
    )


async def project_books(conn: Connection, decided: Sequence[Decided[Any, Any, Any]]) -> None:
    """Rows in the order the tables reference each other: handovers, items, item changes, carried, signatures."""
    handovers: list[tuple[Any, ...]] = []
    items: list[tuple[Any, ...]] = []
    closed: list[tuple[Any, ...]] = []
    escalated: list[tuple[Any, ...]] = []
    carried: list[tuple[str, str, str]] = []
    signed: list[tuple[str, datetime]] = []
    for d in decided:
        for e in d.events:
            match e:
                case HandoverItemOpened(book=b):
                    items.append(
                        (e.item_id, b.group_id, b.estate_id, b.service_center, e.title, e.detail, e.important, "open",
                         e.opened_by, e.opened_at, e.opened_in) + (None,) * 7
                    )  # fmt: skip
                case HandedOver(book=b):
                    handovers.append(
                        (e.handover_id, b.group_id, b.estate_id, b.service_center, e.duty_date, e.outgoing_id,
                         e.incoming_id, e.notes, "awaiting_incoming", e.at, None)
                    )  # fmt: skip
                    carried += [(e.handover_id, c.item_id, c.status) for c in e.carried]
                case HandoverTakenOver():
                    signed.append((e.handover_id, e.at))
                case HandoverItemClosed():
                    closed.append((e.item_id, e.by, e.at, e.note))
                case HandoverItemEscalated():
                    escalated.append((e.item_id, e.to, e.by, e.at, e.note))
                case HandoverBookImported(book=b):
                    handovers += [
                        (h.handover_id, b.group_id, b.estate_id, b.service_center, h.duty_date, h.outgoing_id,
                         h.incoming_id, h.notes, h.status, h.outgoing_signed_at, h.incoming_signed_at)
                        for h in e.handovers
                    ]  # fmt: skip
                    items += [
                        (i.item_id, b.group_id, b.estate_id, b.service_center, i.title, i.detail, i.important,
                         i.status, i.opened_by, i.opened_at, i.opened_in, i.escalated_to, i.escalated_by,
                         i.escalated_at, i.escalation_note, i.closed_by, i.closed_at, i.close_note)
                        for i in e.items
                    ]  # fmt: skip
                    carried += [(c.handover_id, c.item_id, c.status_at_handover) for c in e.carried]
    if handovers:
        await conn.executemany(
            """INSERT INTO handovers (handover_id, group_id, estate_id, service_center, duty_date, outgoing_id,
                   incoming_id, notes, status, outgoing_signed_at, incoming_signed_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)""",
            handovers,
        )
    if items:
        await conn.executemany(
            """INSERT INTO handover_items (item_id, group_id, estate_id, service_center, title, detail, important,
                   status, opened_by, opened_at, opened_in, escalated_to, escalated_by, escalated_at, escalation_note,
                   closed_by, closed_at, close_note)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)""",
            items,
        )
    if escalated:
        await conn.executemany(
            """UPDATE handover_items SET status = 'escalated', escalated_to = $2, escalated_by = $3, escalated_at = $4,
                      escalation_note = $5 WHERE item_id = $1""",
            escalated,
        )
    if closed:
        await conn.executemany(
            """UPDATE handover_items SET status = 'closed', closed_by = $2, closed_at = $3, close_note = $4
               WHERE item_id = $1""",
            closed,
        )
    if carried:
        await conn.executemany(
            "INSERT INTO handover_carried (handover_id, item_id, status_at_handover) VALUES ($1, $2, $3)", carried
        )
    if signed:
        await conn.executemany(
            "UPDATE handovers SET status = 'completed', incoming_signed_at = $2 WHERE handover_id = $1", signed
        )


async def empty_books(conn: Connection) -> None:
    """Before a rebuild; the items' order is given again in the store's order."""
    await conn.execute("TRUNCATE handover_carried, handover_items, handovers RESTART IDENTITY")
