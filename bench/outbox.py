"""(b) The outbox: how fast rows go in (inside the writer's transaction) and how fast the relay drains them.

Writing is timed two ways, because a service writes both ways: one row per transaction (a command
that records one event) and many rows per transaction (an ERP import). The relay is then started on
the whole backlog and timed until it has published every row with acks from the broker.
"""

from __future__ import annotations

import asyncio
import time

from huifang_contracts.envelope import Envelope
from huifang_infra.db import Pool, transaction
from huifang_infra.outbox import Outbox, backlog
from huifang_infra.relay import OutboxRelay

from bench.timing import Measurement, chunks


async def add_to_outbox(pool: Pool, topic: str, envelopes: list[Envelope], rows_per_transaction: int) -> Measurement:
    """Commit the envelopes into the outbox, `rows_per_transaction` at a time, one writer."""
    outbox = Outbox(lambda _event_type: topic)
    started = time.perf_counter()
    for part in chunks(envelopes, rows_per_transaction):
        async with transaction(pool) as conn:
            await outbox.add(conn, part)
    return Measurement(len(envelopes), time.perf_counter() - started)


async def drain_with_relay(pool: Pool, bootstrap: str) -> Measurement:
    """Run the relay as a service runs it until the backlog is empty; time to the last acked batch."""
    async with pool.acquire() as conn:
        pending = await backlog(conn)
    relay = OutboxRelay(pool, bootstrap, name="bench")
    stop = asyncio.Event()
    started = time.perf_counter()
    task = asyncio.create_task(relay.run(stop))
    try:
        while relay.published < pending:
            if task.done():
                task.result()
                raise RuntimeError("the relay stopped before the backlog was empty")
            await asyncio.sleep(0.005)
        elapsed = time.perf_counter() - started
    finally:
        stop.set()
        await task
    return Measurement(relay.published, elapsed)
