"""(a) Consumer throughput with exactly-once effects, against the raw limit of the same work.

Ours: `IdempotentConsumer` with its inbox and a handler inserting one projection row per event.
Raw: a plain aiokafka consumer reading the same messages with no group, no inbox and no per-event
transaction, then one asyncpg COPY of the same rows — about the fastest these two libraries can move the
messages into the table at all, so the ratio says what the guarantees cost.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from aiokafka import AIOKafkaConsumer
from huifang_contracts.envelope import Envelope
from huifang_contracts.intake import OrderClosed
from huifang_infra.consumer import IdempotentConsumer
from huifang_infra.db import Connection, Pool
from huifang_infra.producer import create_producer

from bench.timing import Measurement

OURS_TABLE, RAW_TABLE = "order_effects", "order_effects_raw"
EFFECT_COLUMNS = ["event_id", "estate_id", "order_id"]
RAW_READ_TIMEOUT_S = 300


@dataclass(frozen=True)
class RawPipeline:
    """The raw limit in its two parts; the pipeline's time is their sum (consume, then write)."""

    consume: Measurement
    copy: Measurement

    @property
    def total(self) -> Measurement:
        return Measurement(self.consume.count, self.consume.seconds + self.copy.seconds)


async def insert_effect(conn: Connection, event: Any, envelope: Envelope) -> None:
    """The projection handler: one row per event, inside the consumer's transaction."""
    await conn.execute(
        f"INSERT INTO {OURS_TABLE} (event_id, estate_id, order_id) VALUES ($1, $2, $3)",
        envelope.event_id,
        envelope.estate_id,
        event.order_id,
    )


async def insert_effects(conn: Connection, items: list[tuple[Any, Envelope]]) -> None:
    """The same projection as a batch handler: one statement per run of events (arrays, not a row each)."""
    await conn.execute(
        f"""INSERT INTO {OURS_TABLE} (event_id, estate_id, order_id)
            SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[])""",
        [envelope.event_id for _, envelope in items],
        [envelope.estate_id for _, envelope in items],
        [event.order_id for event, _ in items],
    )


async def run_idempotent_consumer(
    *, pool: Pool, bootstrap: str, topic: str, group: str, count: int, batch_size: int, batch_handler: bool = True
) -> Measurement:
    """Time from partition assignment to the last effect committed (group join is not throughput)."""
    producer = create_producer(bootstrap)
    await producer.start()
    consumer = IdempotentConsumer(
        group=group,
        topics=[topic],
        bootstrap=bootstrap,
        pool=pool,
        handlers={} if batch_handler else {OrderClosed.TYPE: insert_effect},
        batch_handlers={OrderClosed.TYPE: insert_effects} if batch_handler else None,
        dead_letter_topic=f"{group}.dlq",
        producer=producer,
        batch_size=batch_size,
    )
    stop = asyncio.Event()
    task = asyncio.create_task(consumer.run(stop))
    try:
        await _until(lambda: consumer.assigned, task, poll_s=0.002)
        started = time.perf_counter()
        await _until(lambda: consumer.processed + consumer.dead_lettered >= count, task, poll_s=0.01)
        await _until_committed(pool, group, count, task)
        elapsed = time.perf_counter() - started
    finally:
        stop.set()
        await task
        await producer.stop()
    if consumer.dead_lettered or consumer.duplicates:
        raise RuntimeError(f"{consumer.dead_lettered} dead-lettered, {consumer.duplicates} duplicates: not a clean run")
    return Measurement(count, elapsed)


async def _until(predicate: Callable[[], bool], task: asyncio.Task[None], poll_s: float) -> None:
    """Poll an in-memory condition; a consumer task that died is an error, not a wait forever."""
    while not predicate():
        _alive(task)
        await asyncio.sleep(poll_s)


async def _until_committed(pool: Pool, group: str, count: int, task: asyncio.Task[None]) -> None:
    """`processed` counts before the batch commits; the clock stops when the inbox holds every event."""
    async with pool.acquire() as conn:
        while await conn.fetchval("SELECT count(*) FROM inbox WHERE consumer = $1", group) < count:
            _alive(task)
            await asyncio.sleep(0.005)


def _alive(task: asyncio.Task[None]) -> None:
    """Raise the consumer's own error if it died, or say that it stopped early."""
    if task.done():
        task.result()
        raise RuntimeError("the consumer stopped before every event was processed")


async def run_raw_pipeline(*, conn: Connection, bootstrap: str, topic: str, count: int) -> RawPipeline:
    """Read every message with no group, extract the row each needs, then COPY the rows."""
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest", enable_auto_commit=False
    )
    await consumer.start()
    try:
        started = time.perf_counter()
        rows = await _read_rows(consumer, count)
        consumed = time.perf_counter() - started
    finally:
        await consumer.stop()
    started = time.perf_counter()
    await conn.copy_records_to_table(RAW_TABLE, records=rows, columns=EFFECT_COLUMNS)
    copied = time.perf_counter() - started
    return RawPipeline(Measurement(count, consumed), Measurement(len(rows), copied))


async def _read_rows(consumer: AIOKafkaConsumer, count: int) -> list[tuple[UUID, str, str]]:
    """The same fields the handler writes, taken from the JSON with no validation."""
    rows: list[tuple[UUID, str, str]] = []
    async with asyncio.timeout(RAW_READ_TIMEOUT_S):  # a short topic must fail the run, not hang it
        while len(rows) < count:
            batch = await consumer.getmany(timeout_ms=1000)
            for records in batch.values():
                for record in records:
                    value = json.loads(record.value)
                    rows.append((UUID(value["event_id"]), value["estate_id"], value["payload"]["order_id"]))
    return rows


async def effects_check(conn: Connection, table: str) -> tuple[int, int]:
    """(rows, distinct events) in a projection: equal when every effect happened exactly once."""
    row = await conn.fetchrow(f"SELECT count(*) AS n, count(DISTINCT event_id) AS d FROM {table}")
    assert row is not None
    return int(row["n"]), int(row["d"])
