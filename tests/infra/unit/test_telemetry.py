"""Trace context through the outbox and Kafka headers, and trace ids in log lines (issue 4, item 11)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import ClassVar

import pytest
from huifang_infra.telemetry import (
    TraceContextFilter,
    configure_logging,
    consumer_span,
    consumer_span_headers,
    context_from_kafka_headers,
    create_tracer_provider,
    current_trace_headers,
    headers_from_trace,
    kafka_trace_headers,
    setup_telemetry,
    start_producer_span,
    tracing_installed,
)
from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

pytestmark = pytest.mark.unit

_exporter = InMemorySpanExporter()


@pytest.fixture(scope="module")
def provider() -> TracerProvider:
    # The global provider is set once per process; a later setup joins it and adds its exporter.
    return setup_telemetry("telemetry-test", exporter=_exporter, instrument_libraries=False)


@pytest.fixture
def spans(provider: TracerProvider) -> Iterator[InMemorySpanExporter]:
    _exporter.clear()
    yield _exporter
    _exporter.clear()


def finished(exporter: InMemorySpanExporter, name: str) -> ReadableSpan:
    [span] = [s for s in exporter.get_finished_spans() if s.name == name]
    return span


def test_a_consumer_span_joins_the_trace_of_the_span_that_produced_the_headers(spans: InMemorySpanExporter) -> None:
    tracer = trace.get_tracer("test")
    with tracer.start_as_current_span("POST /complaints"):
        stored = current_trace_headers()  # what the outbox row keeps
    kafka_headers = [
        ("type", b"intake.ComplaintRegistered"),
        *headers_from_trace(stored.get("traceparent"), stored.get("tracestate")),
    ]

    with consumer_span("intake.complaints process", kafka_headers, {"messaging.consumer.group.name": "callback"}):
        pass

    request, handler = finished(spans, "POST /complaints"), finished(spans, "intake.complaints process")
    assert handler.context is not None and request.context is not None
    assert handler.context.trace_id == request.context.trace_id
    assert handler.parent is not None and handler.parent.span_id == request.context.span_id
    assert handler.kind is SpanKind.CONSUMER
    assert handler.attributes is not None and handler.attributes["messaging.consumer.group.name"] == "callback"


def test_a_stored_traceparent_parents_the_relays_producer_span(spans: InMemorySpanExporter) -> None:
    tracer = trace.get_tracer("test")
    with tracer.start_as_current_span("handler writes outbox"):
        row = current_trace_headers()
    # Later, in the relay, inside a span of its own that must not become the event's parent.
    with tracer.start_as_current_span("relay batch"):
        span, sent = start_producer_span("callback.callbacks publish", row["traceparent"], row.get("tracestate"))
        span.end()

    writer, relay = finished(spans, "handler writes outbox"), finished(spans, "relay batch")
    publish = finished(spans, "callback.callbacks publish")
    assert writer.context is not None and relay.context is not None and publish.context is not None
    assert publish.kind is SpanKind.PRODUCER
    assert publish.context.trace_id == writer.context.trace_id != relay.context.trace_id
    assert publish.parent is not None and publish.parent.span_id == writer.context.span_id
    # The headers sent to Kafka name the producer span, so the consumer hangs below it.
    assert sent["traceparent"].split("-")[2] == format(publish.context.span_id, "016x")


def test_a_row_without_a_stored_trace_starts_its_own(spans: InMemorySpanExporter) -> None:
    with trace.get_tracer("test").start_as_current_span("relay batch"):
        span, sent = start_producer_span("t publish", None, None)
        span.end()
    publish = finished(spans, "t publish")
    assert publish.parent is None
    assert publish.context is not None and sent["traceparent"].split("-")[1] == format(publish.context.trace_id, "032x")


def test_tracestate_travels_with_traceparent(spans: InMemorySpanExporter) -> None:
    traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
    headers = headers_from_trace(traceparent, "vendor=abc")
    assert headers == [("traceparent", traceparent.encode()), ("tracestate", b"vendor=abc")]
    with consumer_span("c", headers):
        assert current_trace_headers()["tracestate"] == "vendor=abc"
    assert format(finished(spans, "c").context.trace_id, "032x") == "0af7651916cd43dd8448eb211c80319c"


@pytest.mark.parametrize(
    "headers",
    [[], [("traceparent", b"garbage")], [("traceparent", None)], [("type", b"x")]],
    ids=["none", "garbage", "null-value", "unrelated"],
)
def test_missing_or_bad_headers_give_a_new_trace(
    spans: InMemorySpanExporter, headers: list[tuple[str, bytes | None]]
) -> None:
    assert not trace.get_current_span(context_from_kafka_headers(headers)).get_span_context().is_valid
    with consumer_span("orphan", headers):
        pass
    assert finished(spans, "orphan").parent is None


def test_a_batch_records_span_is_ended_and_named_by_the_headers_its_effects_carry(
    spans: InMemorySpanExporter,
) -> None:
    traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
    headers = consumer_span_headers("t process intake.OrderClosed", headers_from_trace(traceparent, "vendor=abc"))

    span = finished(spans, "t process intake.OrderClosed")  # already ended: a batch has no current record
    assert tracing_installed()
    assert span.kind is SpanKind.CONSUMER and span.parent is not None and span.parent.span_id == 0xB7AD6B7169203331
    assert span.context is not None
    assert headers == {
        "traceparent": f"00-0af7651916cd43dd8448eb211c80319c-{span.context.span_id:016x}-01",
        "tracestate": "vendor=abc",
    }
    assert trace.get_current_span().get_span_context().is_valid is False  # never attached


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (
            [("traceparent", b"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"), ("tracestate", b"v=1")],
            {"traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "tracestate": "v=1"},
        ),
        ([("traceparent", b"00-00000000000000000000000000000000-b7ad6b7169203331-01")], {}),
        ([("traceparent", b"garbage"), ("tracestate", b"v=1")], {}),
        ([("tracestate", b"v=1")], {}),
        ([], {}),
    ],
    ids=["valid", "zero-trace-id", "garbage", "state-alone", "none"],
)
def test_without_a_tracer_provider_a_record_continues_the_trace_its_headers_name(
    headers: list[tuple[str, bytes | None]], expected: dict[str, str]
) -> None:
    # What a span under the record's context would name when nothing records spans: the context itself.
    assert kafka_trace_headers(headers) == expected


def test_outside_any_span_there_is_nothing_to_store(provider: TracerProvider) -> None:
    assert current_trace_headers() == {}
    assert headers_from_trace(None, None) == []


def test_a_failing_handler_marks_its_span_as_an_error(spans: InMemorySpanExporter) -> None:
    with pytest.raises(ValueError), consumer_span("boom", []):
        raise ValueError("poison")
    span = finished(spans, "boom")
    assert span.status.status_code is StatusCode.ERROR
    assert [e.name for e in span.events] == ["exception"]


def _capture(service: str) -> tuple[logging.Logger, list[logging.LogRecord]]:
    records: list[logging.LogRecord] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Collect()
    handler.addFilter(TraceContextFilter(service))
    logger = logging.getLogger(f"test.telemetry.{service}")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    return logger, records


def test_log_records_carry_the_active_trace_and_span_id(spans: InMemorySpanExporter) -> None:
    logger, records = _capture("callback")
    with trace.get_tracer("test").start_as_current_span("handle") as span:
        logger.info("callback scheduled")
    ctx = span.get_span_context()
    [record] = records
    assert record.trace_id == format(ctx.trace_id, "032x")  # type: ignore[attr-defined]
    assert record.span_id == format(ctx.span_id, "016x")  # type: ignore[attr-defined]
    assert record.service_name == "callback"  # type: ignore[attr-defined]


def test_log_records_outside_a_span_say_so(provider: TracerProvider) -> None:
    logger, records = _capture("survey")
    logger.info("tick")
    assert (records[0].trace_id, records[0].span_id) == ("-", "-")  # type: ignore[attr-defined]


def test_configure_logging_writes_the_trace_id_on_every_line(
    spans: InMemorySpanExporter, capsys: pytest.CaptureFixture[str]
) -> None:
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    try:
        configure_logging("reporting", "INFO")
        handler = configure_logging("reporting", "INFO")  # again: replaces, never duplicates
        with trace.get_tracer("test").start_as_current_span("rollup") as span:
            logging.getLogger("huifang_reporting.rollup").info("month closed")
        assert [h for h in root.handlers if h not in handlers] == [handler]
    finally:
        for extra in [h for h in root.handlers if h not in handlers]:
            root.removeHandler(extra)
        root.setLevel(level)
    [line] = [ln for ln in capsys.readouterr().err.splitlines() if "month closed" in ln]
    trace_id = format(span.get_span_context().trace_id, "032x")
    assert f"INFO reporting huifang_reporting.rollup trace_id={trace_id} span_id=" in line


def test_setting_up_twice_keeps_one_provider_and_adds_the_exporter(provider: TracerProvider) -> None:
    second = InMemorySpanExporter()
    assert setup_telemetry("another-service", exporter=second, instrument_libraries=False) is provider
    with trace.get_tracer("test").start_as_current_span("seen by both"):
        pass
    assert [s.name for s in second.get_finished_spans()] == ["seen by both"]


class _Collector(BaseHTTPRequestHandler):
    paths: ClassVar[list[str]] = []

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        _Collector.paths.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        return None


@pytest.fixture
def collector() -> Iterator[str]:
    """A local OTLP/HTTP endpoint recording the paths it is sent to."""
    _Collector.paths = []
    server = HTTPServer(("127.0.0.1", 0), _Collector)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _export_one_span(provider: TracerProvider) -> None:
    with provider.get_tracer("test").start_as_current_span("exported"):
        pass
    assert provider.force_flush(5000)
    provider.shutdown()


def test_spans_are_exported_over_otlp_http_to_a_given_endpoint(collector: str) -> None:
    _export_one_span(create_tracer_provider("intake", otlp_endpoint=collector))
    assert _Collector.paths == ["/v1/traces"]


def test_otel_exporter_otlp_endpoint_switches_export_on(collector: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", collector)
    _export_one_span(create_tracer_provider("intake"))
    assert _Collector.paths == ["/v1/traces"]


def test_the_resource_names_the_service() -> None:
    provider = create_tracer_provider("dispatch")
    assert provider.resource.attributes["service.name"] == "dispatch"
    assert provider.resource.attributes["service.namespace"] == "huifang"


def test_without_a_tracer_provider_the_stored_context_passes_through(monkeypatch: pytest.MonkeyPatch) -> None:
    from huifang_infra.telemetry import propagation

    monkeypatch.setattr(propagation, "tracing_installed", lambda: False)
    stored = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
    span, sent = start_producer_span("t publish", stored, "k=v")
    span.end()
    assert sent == {"traceparent": stored, "tracestate": "k=v"}
    assert start_producer_span("t publish", None, None)[1] == {}
