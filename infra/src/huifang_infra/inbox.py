"""The inbox: an event's effects are applied at most once per consumer, whatever Kafka redelivers."""

from __future__ import annotations

from uuid import UUID

from huifang_infra.db import Connection


async def first_delivery(conn: Connection, consumer: str, event_id: UUID, event_type: str) -> bool:
    """Record the event as processed; False when it already was (then skip its effects).

    Insert-first inside the effects' transaction: the row and the effects commit or vanish together.
    Deduplication is by event id, never by offset: a re-published row arrives at a new offset.
    """
    status = await conn.execute(
        "INSERT INTO inbox (consumer, event_id, event_type) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        consumer,
        event_id,
        event_type,
    )
    return bool(status == "INSERT 0 1")
