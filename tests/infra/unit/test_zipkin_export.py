"""Exporting to the trace viewer (issue 10, item 2): `OTEL_EXPORTER_ZIPKIN_ENDPOINT` (or an explicit
endpoint) adds a batched Zipkin JSON v2 exporter; unset, nothing is posted anywhere."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any, ClassVar

import pytest
from huifang_infra.telemetry import create_tracer_provider
from huifang_infra.telemetry.setup import zipkin_exporter
from opentelemetry.sdk.trace import TracerProvider

pytestmark = pytest.mark.unit


class _ZipkinCollector(BaseHTTPRequestHandler):
    posts: ClassVar[list[tuple[str, Any]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        _ZipkinCollector.posts.append((self.path, json.loads(body)))
        self.send_response(202)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        return None


@pytest.fixture
def collector(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A local stand-in for Zipkin's span intake; yields its `/api/v2/spans` URL."""
    monkeypatch.delenv("OTEL_EXPORTER_ZIPKIN_ENDPOINT", raising=False)
    _ZipkinCollector.posts = []
    server = HTTPServer(("127.0.0.1", 0), _ZipkinCollector)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/api/v2/spans"
    server.shutdown()
    server.server_close()


def _export_one_span(provider: TracerProvider) -> str:
    with provider.get_tracer("test").start_as_current_span("CallbackScheduled") as span:
        trace_id = format(span.get_span_context().trace_id, "032x")
    assert provider.force_flush(5000)
    provider.shutdown()
    return trace_id


def test_the_standard_variable_switches_zipkin_export_on(collector: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OTEL_EXPORTER_ZIPKIN_ENDPOINT", collector)

    trace_id = _export_one_span(create_tracer_provider("callback"))

    [(path, spans)] = _ZipkinCollector.posts
    assert path == "/api/v2/spans"
    assert [(s["traceId"], s["name"], s["localEndpoint"]["serviceName"]) for s in spans] == [
        (trace_id, "CallbackScheduled", "callback")
    ]


def test_an_explicit_endpoint_exports_without_the_variable(collector: str) -> None:
    _export_one_span(create_tracer_provider("survey", zipkin_endpoint=collector))

    assert [path for path, _ in _ZipkinCollector.posts] == ["/api/v2/spans"]


def test_without_an_endpoint_no_zipkin_exporter_is_made(monkeypatch: pytest.MonkeyPatch) -> None:
    # The exporter alone would default to localhost:9411 and post there unasked.
    monkeypatch.delenv("OTEL_EXPORTER_ZIPKIN_ENDPOINT", raising=False)

    assert zipkin_exporter() is None
