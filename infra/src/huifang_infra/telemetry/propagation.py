"""Trace context across the outbox and Kafka, so one trace runs HTTP → outbox → Kafka → consumer.

The writer's W3C context is stored in the outbox row (`current_trace_headers`); the relay parents each
send's PRODUCER span by it (`start_producer_span`), otherwise the relay's own span would become every
event's parent; the consumer extracts it from the record's headers (`consumer_span`). These two spans
are the Kafka hop's: the aiokafka instrumentation would add a span of its own to each send and receive
(`instrument_kafka`, off unless a service sets `TRACE_KAFKA_CLIENT`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager

from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.trace import Span, SpanContext, SpanKind
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator
from opentelemetry.util.types import AttributeValue

TRACEPARENT = "traceparent"
TRACESTATE = "tracestate"

# W3C trace context explicitly, not the configurable global propagator: the outbox has exactly
# these two columns and every service must read what another wrote.
_w3c = TraceContextTextMapPropagator()
_tracer = trace.get_tracer("huifang_infra.telemetry")
#: version 00, a non-zero trace id and span id, flags (the propagator's own check, for the fast path)
_TRACEPARENT = re.compile(r"00-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}")

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
    return _w3c.extract(_w3c_carrier(headers), context=Context())


def _w3c_carrier(headers: Sequence[tuple[str, bytes | None]]) -> dict[str, str]:
    carrier: dict[str, str] = {}
    for key, value in headers:
        if key in (TRACEPARENT, TRACESTATE) and key not in carrier and value is not None:
            carrier[key] = value.decode("latin-1")
    return carrier


def context_from_trace(traceparent: str | None, tracestate: str | None) -> Context:
    """The context a stored `traceparent` names; empty (a new trace) when none was stored."""
    carrier = {TRACEPARENT: traceparent or "", TRACESTATE: tracestate or ""}
    return _w3c.extract({k: v for k, v in carrier.items() if v}, context=Context())


@contextmanager
def consumer_span(
    name: str, headers: Sequence[tuple[str, bytes | None]], attributes: Attributes | None = None
) -> Iterator[Span]:
    """A CONSUMER span around handling one record, parented by the context its headers carry."""
    parent = context_from_kafka_headers(headers)
    attrs = _consumer_attributes(attributes)
    with _tracer.start_as_current_span(name, context=parent, kind=SpanKind.CONSUMER, attributes=attrs) as span:
        yield span


def consumer_span_headers(
    name: str, headers: Sequence[tuple[str, bytes | None]], attributes: Attributes | None = None
) -> dict[str, str]:
    """Record a CONSUMER span for one record of a batch and return the trace headers naming it.

    A batch handler applies many records in one call, so no record's span can be the current one; the
    span is started and ended here, never attached, and the rows each record causes continue it by
    these headers. Formatting them from the span's context, rather than through a context and the
    propagator, keeps this cheap enough to do for every record.
    """
    parent = context_from_kafka_headers(headers)
    span = _tracer.start_span(name, context=parent, kind=SpanKind.CONSUMER, attributes=_consumer_attributes(attributes))
    span.end()
    return trace_headers_of(span.get_span_context())


def tracing_installed() -> bool:
    """Whether a tracer provider records spans; the API's default provider makes non-recording ones.

    Without one, a span started under a record's context is that context again: callers that only
    want the headers naming it can take `kafka_trace_headers` and skip the span.
    """
    return not isinstance(trace.get_tracer_provider(), trace.ProxyTracerProvider | trace.NoOpTracerProvider)


def kafka_trace_headers(headers: Sequence[tuple[str, bytes | None]]) -> dict[str, str]:
    """The record's W3C headers (first occurrence of each), kept only when `traceparent` parses."""
    carrier = _w3c_carrier(headers)
    if TRACEPARENT not in carrier or not _TRACEPARENT.fullmatch(carrier[TRACEPARENT]):
        return {}
    return carrier


def trace_headers_of(context: SpanContext) -> dict[str, str]:
    """W3C `traceparent` (and `tracestate` when set) naming a span; empty for an invalid context."""
    if not context.is_valid:
        return {}
    headers = {TRACEPARENT: f"00-{context.trace_id:032x}-{context.span_id:016x}-{context.trace_flags:02x}"}
    if context.trace_state:
        headers[TRACESTATE] = context.trace_state.to_header()
    return headers


def _consumer_attributes(attributes: Attributes | None) -> dict[str, AttributeValue]:
    attrs: dict[str, AttributeValue] = {"messaging.system": "kafka", "messaging.operation.type": "process"}
    attrs.update(attributes or {})
    return attrs


def start_producer_span(
    name: str, traceparent: str | None, tracestate: str | None = None, attributes: Attributes | None = None
) -> tuple[Span, dict[str, str]]:
    """Start the PRODUCER span of publishing one outbox row and return it with the headers naming it;
    the caller ends it once the record is handed to the producer.

    It is parented by the writer's stored context; a row stored without one starts its own trace rather
    than joining whatever the relay has open. Like the consumer's batch spans it is never attached and
    its headers are formatted directly: the relay publishes hundreds of rows per batch. Without a
    tracer provider the stored context passes through unchanged.
    """
    if not tracing_installed():
        return trace.INVALID_SPAN, {k: v for k, v in ((TRACEPARENT, traceparent), (TRACESTATE, tracestate)) if v}
    attrs: dict[str, AttributeValue] = {"messaging.system": "kafka", "messaging.operation.type": "send"}
    attrs.update(attributes or {})
    parent = context_from_trace(traceparent, tracestate)
    span = _tracer.start_span(name, context=parent, kind=SpanKind.PRODUCER, attributes=attrs)
    return span, trace_headers_of(span.get_span_context())
