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


async def first_deliveries(conn: Connection, consumer: str, events: list[tuple[UUID, str]]) -> set[UUID] | None:
    """`first_delivery` for a whole poll in one statement: None when every id was new (the common
    case, answered with one value instead of a row per event), else the ids inserted now.

    An id twice in one poll (a re-published row beside its original) is inserted once: the set holds
    it once, and the caller applies only its first occurrence.
    """
    if not events:
        return set()
    fresh = await conn.fetchval(
        """WITH inserted AS (
               INSERT INTO inbox (consumer, event_id, event_type)
               SELECT $1, e.id, e.type FROM unnest($2::uuid[], $3::text[]) AS e(id, type)
               ON CONFLICT DO NOTHING RETURNING event_id)
           SELECT CASE WHEN count(*) = $4 THEN NULL ELSE coalesce(array_agg(event_id), '{}') END FROM inserted""",
        consumer,
        [event_id for event_id, _ in events],
        [event_type for _, event_type in events],
        len(events),
    )
    return None if fresh is None else set(fresh)
