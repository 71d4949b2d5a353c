"""Trace context across the outbox and Kafka, so one trace runs HTTP → outbox → Kafka → consumer.

The writer's W3C context is stored in the outbox row (`current_trace_headers`); the relay re-attaches
it around its send (`producer_span`), otherwise the relay's own span would become every event's parent;
the consumer extracts it from the record's headers (`consumer_span`), because the aiokafka
instrumentation's receive span has ended before the handler runs.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager

from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.trace import Span, SpanKind
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator
from opentelemetry.util.types import AttributeValue

TRACEPARENT = "traceparent"
TRACESTATE = "tracestate"

# W3C trace context explicitly, not the configurable global propagator: the outbox has exactly
# these two columns and every service must read what another wrote.
_w3c = TraceContextTextMapPropagator()
_tracer = trace.get_tracer("huifang_infra.telemetry")

Attributes = Mapping[str, AttributeValue]


def current_trace_headers() -> dict[str, str]:
    """`traceparent` (and `tracestate` when there is one) of the active span; empty outside any span."""
    carrier: dict[str, str] = {}
    _w3c.inject(carrier)
    return {k: v for k, v in carrier.items() if k in (TRACEPARENT, TRACESTATE) and v}


def headers_from_trace(traceparent: str | None, tracestate: str | None = None) -> list[tuple[str, bytes]]:
    """Kafka headers for a stored context; nothing for what was not stored."""
    pairs = ((TRACEPARENT, traceparent), (TRACESTATE, tracestate))
    return [(key, value.encode()) for key, value in pairs if value]


def context_from_kafka_headers(headers: Sequence[tuple[str, bytes | None]]) -> Context:
    """The producer's context from a record's headers; an empty context (a new trace) when absent or bad.

    The first occurrence of a header wins, as in the aiokafka instrumentation's own getter.
    """
    carrier: dict[str, str] = {}
    for key, value in headers:
        if key in (TRACEPARENT, TRACESTATE) and key not in carrier and value is not None:
            carrier[key] = value.decode("latin-1")
    return _w3c.extract(carrier, context=Context())


def context_from_trace(traceparent: str | None, tracestate: str | None) -> Context:
    """The context a stored `traceparent` names; empty (a new trace) when none was stored."""
    carrier = {TRACEPARENT: traceparent or "", TRACESTATE: tracestate or ""}
    return _w3c.extract({k: v for k, v in carrier.items() if v}, context=Context())


@contextmanager
def consumer_span(
    name: str, headers: Sequence[tuple[str, bytes | None]], attributes: Attributes | None = None
) -> Iterator[Span]:
    """A CONSUMER span around handling one record, parented by the context its headers carry."""
    attrs: dict[str, AttributeValue] = {"messaging.system": "kafka", "messaging.operation.type": "process"}
    attrs.update(attributes or {})
    parent = context_from_kafka_headers(headers)
    with _tracer.start_as_current_span(name, context=parent, kind=SpanKind.CONSUMER, attributes=attrs) as span:
        yield span


@contextmanager
def producer_span(
    name: str, traceparent: str | None, tracestate: str | None = None, attributes: Attributes | None = None
) -> Iterator[Span]:
    """A PRODUCER span around publishing one outbox row, parented by the writer's stored context.

    A row stored without one starts its own trace rather than joining whatever the relay has open.
    """
    attrs: dict[str, AttributeValue] = {"messaging.system": "kafka", "messaging.operation.type": "send"}
    attrs.update(attributes or {})
    parent = context_from_trace(traceparent, tracestate)
    with _tracer.start_as_current_span(name, context=parent, kind=SpanKind.PRODUCER, attributes=attrs) as span:
        yield span
