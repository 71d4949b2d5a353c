"""Run an IdempotentConsumer counting OrderClosed into `effects`, as a task or as its own process."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from huifang_contracts.envelope import Envelope
from huifang_infra.consumer import Handler, IdempotentConsumer
from huifang_infra.db import Connection, create_pool
from huifang_infra.producer import create_producer

from tests.support.backbone import count_effect


@asynccontextmanager
async def running_consumer(
    *,
    database_url: str,
    bootstrap: str,
    topic: str,
    group: str,
    dlq: str,
    batch_size: int = 100,
    seconds_per_event: float = 0.0,
    group_instance_id: str | None = None,
) -> AsyncIterator[IdempotentConsumer]:
    """`seconds_per_event` slows the handler down, so that a test can act while the work goes on."""
    pool = await create_pool(database_url, max_size=4)
    producer = create_producer(bootstrap)
    await producer.start()
    consumer = IdempotentConsumer(
        group=group,
        topics=[topic],
        bootstrap=bootstrap,
        pool=pool,
        handlers={"intake.OrderClosed": _slowed(count_effect, seconds_per_event)},
        dead_letter_topic=dlq,
        producer=producer,
        batch_size=batch_size,
        group_instance_id=group_instance_id,
    )
    stop = asyncio.Event()
    task = asyncio.create_task(consumer.run(stop))
    try:
        yield consumer
    finally:
        stop.set()
        await task
        await producer.stop()
        await pool.close()


def _slowed(handler: Handler, seconds: float) -> Handler:
    if not seconds:
        return handler

    async def slow(conn: Connection, event: Any, envelope: Envelope) -> None:
        await asyncio.sleep(seconds)
        await handler(conn, event, envelope)

    return slow


async def _main(database_url: str, bootstrap: str, topic: str, group: str, dlq: str, instance: str = "") -> None:
    async with running_consumer(
        database_url=database_url,
        bootstrap=bootstrap,
        topic=topic,
        group=group,
        dlq=dlq,
        batch_size=50,
        group_instance_id=instance or None,
    ):
        print("consumer started", flush=True)
        await asyncio.Event().wait()  # until killed


if __name__ == "__main__":
    asyncio.run(_main(*sys.argv[1:7]))
