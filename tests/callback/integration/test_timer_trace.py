"""Issue 17 §9: a timer's `CallbackDue`, hours after the order that caused it, is in that order's trace —
the callback's stream kept the trace of the event that scheduled it, and the transition continues it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from aiokafka import AIOKafkaProducer
from huifang_callback.domain.presets import full
from huifang_infra.auth import Role
from huifang_infra.clock import SettableClock
from huifang_infra.db import connect

from tests.callback.support import GROUP, callback_app, estate_registered, feed, order_closed, rows_at_least
from tests.support.backbone import wait_for
from tests.support.service import bearer, running_service

pytestmark = pytest.mark.integration

CLOSED = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # Mon 10:00 Beijing
TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
MANAGER = bearer(Role.office_manager, GROUP, ["*"])


async def test_the_timers_callback_due_continues_the_trace_of_the_order_that_scheduled_it(
    database_url: str, kafka_bootstrap: str, unique: str
) -> None:
    clock = SettableClock(CLOSED + timedelta(minutes=1))
    app = callback_app(database_url, kafka_bootstrap, unique, clock)
    runtime = app.state.runtime
    async with running_service(app) as client:
        await feed(runtime, kafka_bootstrap, [estate_registered("E1", "full")])
        await wait_for(lambda: rows_at_least(database_url, "SELECT 1 FROM estates", 1), 60)
        body = full()
        body["rules"][1] = body["rules"][1] | {
            "window": {"start": {"amount": 4, "unit": "hours"}, "deadline": {"amount": 3, "unit": "working_days"}}
        }  # every repair called back from 4 hours after closing: its CallbackDue comes from the timer
        policy = {"estate_id": "E1", "body": body}
        assert (await client.post("/policies", json=policy, headers=MANAGER)).status_code == 201
        order = order_closed("WO-T", CLOSED)
        producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap)
        await producer.start()
        try:
            headers = order.kafka_headers(traceparent=f"00-{TRACE}-00f067aa0ba902b7-01")
            topic = runtime.catalogue.topic_for(order.type)
            await producer.send_and_wait(topic, order.to_bytes(), key=order.kafka_key(), headers=headers)
        finally:
            await producer.stop()
        await wait_for(lambda: rows_at_least(database_url, "SELECT 1 FROM callbacks WHERE state = 'scheduled'", 1), 60)
        clock.set(CLOSED + timedelta(hours=5))
        await wait_for(lambda: rows_at_least(database_url, "SELECT 1 FROM callbacks WHERE state = 'due'", 1), 60)
    conn = await connect(database_url)
    try:
        rows = await conn.fetch("SELECT event_type, traceparent FROM outbox WHERE event_type LIKE 'callback.Callback%'")
        stream = await conn.fetch("SELECT event_type, metadata FROM events WHERE stream_id LIKE 'callback-%'")
    finally:
        await conn.close()
    traces = {r["event_type"]: (r["traceparent"] or "").split("-")[1:2] for r in rows}
    assert traces == {"callback.CallbackScheduled": [TRACE], "callback.CallbackDue": [TRACE]}
    assert [(e["event_type"], e["metadata"]["traceparent"].split("-")[1]) for e in stream] == [
        ("callback.Scheduled", TRACE),
        ("callback.BecameDue", TRACE),
    ]
