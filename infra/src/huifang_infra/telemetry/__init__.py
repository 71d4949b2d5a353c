"""Tracing and trace-aware logging: one trace from an HTTP request through Kafka to the next outbox."""

from huifang_infra.telemetry.logs import TraceContextFilter, configure_logging
from huifang_infra.telemetry.propagation import (
    consumer_span,
    consumer_span_headers,
    context_from_kafka_headers,
    context_from_trace,
    current_trace_headers,
    headers_from_trace,
    kafka_trace_headers,
    start_producer_span,
    tracing_installed,
)
from huifang_infra.telemetry.setup import (
    create_tracer_provider,
    instrument_asyncpg,
    instrument_kafka,
    server_telemetry,
    setup_telemetry,
)

__all__ = [
    "TraceContextFilter",
    "configure_logging",
    "consumer_span",
    "consumer_span_headers",
    "context_from_kafka_headers",
    "context_from_trace",
    "create_tracer_provider",
    "current_trace_headers",
    "headers_from_trace",
    "instrument_asyncpg",
    "instrument_kafka",
    "kafka_trace_headers",
    "server_telemetry",
    "setup_telemetry",
    "start_producer_span",
    "tracing_installed",
]
