"""Events written outside their cause's span still continue its trace (issue 4, item 11):
a batch handler's rows follow each record's own trace, a timer's row follows the event it follows."""

from __future__ import annotations

import asyncio
from typing import Any
from uuid import uuid4

import pytest
from huifang_contracts.envelope import Envelope
from huifang_infra.consumer import IdempotentConsumer
from huifang_infra.db import Connection, create_pool
from huifang_infra.outbox import Outbox
from huifang_infra.producer import create_producer
from huifang_infra.relay import OutboxRelay
from huifang_infra.telemetry import setup_telemetry
from opentelemetry import trace
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from tests.conftest import TopicFactory
from tests.support.backbone import order_closed, prepare_database, wait_for

pytestmark = pytest.mark.integration


def _trace_id(traceparent: str) -> str:
    return traceparent.split("-")[1]


def _follow(cause: Envelope, n: int) -> Envelope:
    nxt = order_closed(10_000 + n)
    return nxt.model_copy(update={"causation_id": cause.event_id, "correlation_id": cause.correlation_id})


async def test_a_batch_handler_writes_each_event_in_its_own_cause_trace(
    database_url: str, topics: TopicFactory
) -> None:
    setup_telemetry("cause-test", exporter=InMemorySpanExporter(), instrument_libraries=False)
    topic, next_topic = await topics.create("orders"), await topics.create("next")
    dlq = await topics.create("test.dlq", partitions=1)
    await prepare_database(database_url)
    pool = await create_pool(database_url)
    producer = create_producer(topics.bootstrap)
    await producer.start()
    outbox, next_outbox = Outbox(lambda _t: topic), Outbox(lambda _t: next_topic)
    written: list[Envelope] = []
    origins: dict[str, str] = {}  # order id → trace id of the request that wrote it

    async def project_all(conn: Connection, items: list[tuple[Any, Envelope]]) -> None:
        follow_ups = [_follow(envelope, i) for i, (_, envelope) in enumerate(items)]
        written.extend(follow_ups)
        await next_outbox.add(conn, follow_ups)  # one call for the whole batch

    sources = [order_closed(i) for i in range(6)]
    for envelope in sources:  # six requests, six traces
        with trace.get_tracer("test").start_as_current_span("POST /orders") as request:
            async with pool.acquire() as conn, conn.transaction():
                await outbox.add(conn, [envelope])
            origins[str(envelope.event_id)] = format(request.get_span_context().trace_id, "032x")
    await OutboxRelay(pool, topics.bootstrap).publish_pending()
    consumer = IdempotentConsumer(
        group=f"g-{uuid4().hex[:6]}",
        topics=[topic],
        bootstrap=topics.bootstrap,
        pool=pool,
        handlers={},
        batch_handlers={"intake.OrderClosed": project_all},
        dead_letter_topic=dlq,
        producer=producer,
    )
    stop = asyncio.Event()
    task = asyncio.create_task(consumer.run(stop))
    try:
        await wait_for(lambda: _done(consumer, 6))
    finally:
        stop.set()
        await task
        await producer.stop()
    async with pool.acquire() as conn:
        rows = await conn.fetch("SELECT event_id, traceparent FROM outbox WHERE topic = $1", next_topic)
    await pool.close()
    by_id = {r["event_id"]: r["traceparent"] for r in rows}
    assert len(by_id) == 6
    for follow_up in written:
        assert _trace_id(by_id[follow_up.event_id]) == origins[str(follow_up.causation_id)]


async def test_an_event_written_outside_any_span_continues_the_trace_of_its_cause(database_url: str) -> None:
    setup_telemetry("cause-test", exporter=InMemorySpanExporter(), instrument_libraries=False)
    await prepare_database(database_url)
    pool = await create_pool(database_url)
    outbox = Outbox(lambda _t: "callbacks")
    scheduled = order_closed(1)
    try:
        with trace.get_tracer("test").start_as_current_span("consume ComplaintResolved") as span:
            async with pool.acquire() as conn, conn.transaction():
                await outbox.add(conn, [scheduled])
        origin = format(span.get_span_context().trace_id, "032x")
        due, unrelated = _follow(scheduled, 1), order_closed(2)
        async with pool.acquire() as conn, conn.transaction():  # a timer tick: no span is active
            await outbox.add(conn, [due, unrelated])
        async with pool.acquire() as conn:
            stored = {r["event_id"]: r["traceparent"] for r in await conn.fetch("SELECT * FROM outbox")}
    finally:
        await pool.close()
    assert _trace_id(stored[due.event_id]) == origin
    assert stored[unrelated.event_id] is None  # no cause, no span: it starts its own trace when published


async def _done(consumer: IdempotentConsumer, n: int) -> bool:
    return consumer.processed >= n


async def test_an_event_following_another_of_the_same_write_shares_its_trace(database_url: str) -> None:
    """A batch handler schedules a callback and, its window open, makes it due in the same write."""
    from huifang_infra.telemetry.causes import traces_by_cause

    await prepare_database(database_url)
    pool = await create_pool(database_url)
    resolved = order_closed(1)
    scheduled = _follow(resolved, 1)
    due = _follow(scheduled, 2)
    origin = "00-" + "ab" * 16 + "-" + "cd" * 8 + "-01"
    try:
        with traces_by_cause({resolved.event_id: {"traceparent": origin}}):
            async with pool.acquire() as conn, conn.transaction():
                await Outbox(lambda _t: "callbacks").add(conn, [scheduled, due])
        async with pool.acquire() as conn:
            stored = {r["event_id"]: r["traceparent"] for r in await conn.fetch("SELECT * FROM outbox")}
    finally:
        await pool.close()
    assert stored[scheduled.event_id] == origin
    assert stored[due.event_id] == origin
