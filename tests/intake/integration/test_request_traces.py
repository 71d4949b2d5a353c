"""One trace from an HTTP request into Kafka (issue: backbone item 11; intake item 5).

The service's SERVER span continues the caller's `traceparent`, and the event the request caused
carries that trace in its Kafka headers: an ERP team's trace goes on through every service.
"""

from __future__ import annotations

import pytest
from huifang_infra.telemetry import setup_telemetry
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from tests.intake.integration.support import DESK_A, closed_order, running_intake
from tests.support.kafka import read_records

pytestmark = pytest.mark.integration

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
CALLER_SPAN = "00f067aa0ba902b7"


async def test_a_request_continues_the_callers_trace_into_the_event_it_publishes(
    database_url: str, kafka_bootstrap: str, unique: str
) -> None:
    exporter = InMemorySpanExporter()
    setup_telemetry("intake-trace-test", exporter=exporter, instrument_libraries=False)
    async with running_intake(database_url, kafka_bootstrap, unique) as svc:
        headers = DESK_A | {"traceparent": f"00-{TRACE_ID}-{CALLER_SPAN}-01"}
        r = await svc.client.post("/orders/closed", headers=headers, json=closed_order(order_id="WO-T1"))
        assert r.status_code == 201, r.text
        [event] = await svc.published("intake.OrderClosed", 1)
        topic = svc.runtime.catalogue.topic_for("intake.OrderClosed")
        [record] = [r for r in await read_records(kafka_bootstrap, topic, 1) if r.key == b"E1"]

    [server] = [s for s in exporter.get_finished_spans() if s.kind is SpanKind.SERVER and "/orders/closed" in s.name]
    assert server.name == "POST /orders/closed"
    assert server.context is not None and format(server.context.trace_id, "032x") == TRACE_ID
    assert server.parent is not None and format(server.parent.span_id, "016x") == CALLER_SPAN
    sent = dict(record.headers)["traceparent"].decode()
    assert sent.split("-")[1] == TRACE_ID  # the relay's PRODUCER span, in the caller's trace
    assert event.aggregate_id == "WO-T1"
    # Probes are not traced.
    assert not [s for s in exporter.get_finished_spans() if "/readyz" in s.name or "/healthz" in s.name]
