"""One trace from an HTTP request through the outbox, Kafka and a consumer to the next outbox row
(issue: event backbone, item 11)."""

from __future__ import annotations

import asyncio
from typing import Any

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
from opentelemetry.trace import SpanKind

from tests.conftest import TopicFactory
from tests.support.backbone import count_effect, order_closed, prepare_database, wait_for

pytestmark = pytest.mark.integration


async def test_spans_on_both_sides_of_a_kafka_hop_share_one_trace(
    database_url: str, topics: TopicFactory, unique: str
) -> None:
    exporter = InMemorySpanExporter()
    setup_telemetry("trace-test", exporter=exporter, instrument_libraries=False)
    topic, next_topic = await topics.create("orders"), await topics.create("next")
    dlq = await topics.create("test.dlq", partitions=1)
    await prepare_database(database_url)
    pool = await create_pool(database_url)
    producer = create_producer(topics.bootstrap)
    await producer.start()
    next_outbox = Outbox(lambda _t: next_topic)

    async def handle(conn: Connection, event: Any, envelope: Envelope) -> None:
        await count_effect(conn, event, envelope)
        await next_outbox.add(conn, [order_closed(99)])  # the next hop's event, written by the handler

    consumer = IdempotentConsumer(
        group=f"g-{unique}",
        topics=[topic],
        bootstrap=topics.bootstrap,
        pool=pool,
        handlers={"intake.OrderClosed": handle},
        dead_letter_topic=dlq,
        producer=producer,
    )
    stop = asyncio.Event()
    try:
        with trace.get_tracer("test").start_as_current_span("POST /orders", kind=SpanKind.SERVER) as http:
            async with pool.acquire() as conn, conn.transaction():
                await Outbox(lambda _t: topic).add(conn, [order_closed(1)])
        trace_id = http.get_span_context().trace_id
        await OutboxRelay(pool, topics.bootstrap).publish_pending()
        task = asyncio.create_task(consumer.run(stop))
        await wait_for(lambda: _processed(consumer))
        stop.set()
        await task
        async with pool.acquire() as conn:
            next_traceparent = await conn.fetchval("SELECT traceparent FROM outbox WHERE topic = $1", next_topic)
    finally:
        stop.set()
        await producer.stop()
        await pool.close()

    spans = exporter.get_finished_spans()
    # ours only: aiokafka's own instrumentation, when another test installed it, adds send/receive spans
    producer_spans = [s for s in spans if s.kind == SpanKind.PRODUCER and s.name == f"{topic} publish"]
    consumer_spans = [s for s in spans if s.kind == SpanKind.CONSUMER and s.name.startswith(f"{topic} process")]
    assert [s.context.trace_id for s in producer_spans] == [trace_id]
    assert [s.context.trace_id for s in consumer_spans] == [trace_id]
    assert consumer_spans[0].parent is not None
    assert consumer_spans[0].parent.span_id == producer_spans[0].context.span_id
    assert next_traceparent.split("-")[1] == format(trace_id, "032x")


async def _processed(consumer: IdempotentConsumer) -> bool:
    return consumer.processed >= 1
