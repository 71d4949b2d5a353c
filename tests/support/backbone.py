"""A minimal service built from the backbone, for tests: OrderClosed events counted into a projection.

The projection `effects` has no unique key on purpose, so an event applied twice shows up as two rows.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import asyncpg
from huifang_contracts.enums import Channel, RequestKind
from huifang_contracts.envelope import Envelope
from huifang_contracts.intake import OrderClosed
from huifang_infra.migrations import infra_migrations, migrate

from tests.support.kafka import produce

EFFECTS_DDL = """
CREATE TABLE IF NOT EXISTS effects (
    event_id uuid NOT NULL,
    estate_id text NOT NULL,
    order_id text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT clock_timestamp()
)
"""

T0 = datetime(2026, 10, 9, 2, 0, tzinfo=UTC)


def order_closed(i: int, estate: str = "E1", group: str = "G1") -> Envelope:
    event = OrderClosed(
        order_id=f"WO-{i:06d}",
        request_kind=RequestKind.REPAIR,
        channel=Channel.ERP,
        category="plumbing",
        department="engineering",
        closed_at=T0 + timedelta(minutes=i),
        signed_off=True,
    )
    return Envelope.wrap(
        event,
        group_id=group,
        estate_id=estate,
        aggregate_id=event.order_id,
        producer="intake",
        occurred_at=event.closed_at,
        recorded_at=event.closed_at,
    )


async def prepare_database(url: str) -> None:
    conn = await asyncpg.connect(url)
    try:
        await migrate(conn, [infra_migrations()])
        await conn.execute(EFFECTS_DDL)
    finally:
        await conn.close()


async def orders_backlog(database_url: str, bootstrap: str, topic: str, count: int, estates: int) -> list[Envelope]:
    """A fresh effects database and `count` OrderClosed already on `topic`, keyed over `estates` estates."""
    await prepare_database(database_url)
    events = [order_closed(i, estate=f"E{i % estates}") for i in range(count)]
    await produce(bootstrap, topic, [(e.kafka_key(), e.to_bytes()) for e in events])
    return events


async def count_effect(conn: asyncpg.Connection, event: Any, envelope: Envelope) -> None:
    """The handler: one effect row per application."""
    await conn.execute(
        "INSERT INTO effects (event_id, estate_id, order_id) VALUES ($1, $2, $3)",
        envelope.event_id,
        envelope.estate_id,
        event.order_id,
    )


async def effects_per_event(url: str) -> dict[UUID, int]:
    conn = await asyncpg.connect(url)
    try:
        rows = await conn.fetch("SELECT event_id, count(*) AS n FROM effects GROUP BY event_id")
    finally:
        await conn.close()
    return {r["event_id"]: r["n"] for r in rows}


async def effects_applied(url: str) -> int:
    """Effects in the projection, duplicates included."""
    return sum((await effects_per_event(url)).values())


async def effects_at_least(url: str, count: int) -> bool:
    """Whether the projection holds `count` effects (a `wait_for` predicate)."""
    return await effects_applied(url) >= count


async def wait_for(predicate: Any, timeout_s: float = 60.0, interval_s: float = 0.2) -> Any:
    """Poll an async predicate until it returns something truthy."""
    deadline = asyncio.get_running_loop().time() + timeout_s
    while True:
        value = await predicate()
        if value:
            return value
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"condition not met within {timeout_s} s (last value {value!r})")
        await asyncio.sleep(interval_s)
