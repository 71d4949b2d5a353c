"""The tracer provider of a service process, its exporters, and the library instrumentation.

OpenTelemetry's global provider can be set once per process. A service calls `setup_telemetry` once
at its composition root; a later call (tests building many apps in one process) gets the provider
already installed, with the new exporter added to it, rather than a provider nobody uses.
Exporter and instrumentation imports are deferred: the outbox and consumer import this package for
context propagation alone and should not pay for FastAPI and the exporters.
"""

from __future__ import annotations

import logging
import os
import threading
from typing import TYPE_CHECKING

from opentelemetry import trace
from opentelemetry.sdk.resources import SERVICE_NAME, SERVICE_NAMESPACE, Resource
from opentelemetry.sdk.trace import SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor, SpanExporter

if TYPE_CHECKING:
    from fastapi.telemetry import TelemetryConfig

log = logging.getLogger(__name__)

_ENDPOINT_VARS = ("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
#: The standard variable of the Zipkin exporter, e.g. http://127.0.0.1:19411/api/v2/spans (the demo's viewer).
ZIPKIN_ENDPOINT_VAR = "OTEL_EXPORTER_ZIPKIN_ENDPOINT"
# Probes and scrapes every few seconds would drown the traces people actually look for.
_UNTRACED_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})

_lock = threading.Lock()
_installed: TracerProvider | None = None


def otlp_traces_url(endpoint: str) -> str:
    """The OTLP/HTTP traces URL for a base endpoint, the way `OTEL_EXPORTER_OTLP_ENDPOINT` is read."""
    base = endpoint.rstrip("/")
    return base if base.endswith("/v1/traces") else f"{base}/v1/traces"


def zipkin_exporter(endpoint: str | None = None) -> SpanExporter | None:
    """A Zipkin JSON v2 exporter to `endpoint` or `$OTEL_EXPORTER_ZIPKIN_ENDPOINT`; None when neither is set.

    The exporter itself would fall back to localhost:9411 when nothing is set; a service that was not
    asked to export must not post spans into whatever happens to listen there.
    """
    url = endpoint or os.environ.get(ZIPKIN_ENDPOINT_VAR)
    if not url:
        return None
    from opentelemetry.exporter.zipkin.json import ZipkinExporter

    return ZipkinExporter(endpoint=url)


def create_tracer_provider(
    service_name: str,
    *,
    otlp_endpoint: str | None = None,
    zipkin_endpoint: str | None = None,
    exporter: SpanExporter | None = None,
) -> TracerProvider:
    """A provider for one service: OTLP/HTTP when an endpoint is given or set in the environment,
    Zipkin likewise (both may be on), plus `exporter` (e.g. an in-memory one in tests) exporting
    synchronously."""
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    resource = Resource.create({SERVICE_NAME: service_name, SERVICE_NAMESPACE: "huifang"})
    provider = TracerProvider(resource=resource)
    processors: list[SpanProcessor] = []
    if otlp_endpoint:
        processors.append(BatchSpanProcessor(OTLPSpanExporter(endpoint=otlp_traces_url(otlp_endpoint))))
    elif any(os.environ.get(var) for var in _ENDPOINT_VARS):
        processors.append(BatchSpanProcessor(OTLPSpanExporter()))  # it reads the variables itself
    zipkin = zipkin_exporter(zipkin_endpoint)
    if zipkin is not None:
        # Batched: a request must never wait on the viewer, and a stopped viewer only loses spans.
        processors.append(BatchSpanProcessor(zipkin))
    if exporter is not None:
        processors.append(SimpleSpanProcessor(exporter))
    for processor in processors:
        provider.add_span_processor(processor)
    return provider


def setup_telemetry(
    service_name: str,
    *,
    otlp_endpoint: str | None = None,
    zipkin_endpoint: str | None = None,
    exporter: SpanExporter | None = None,
    instrument_libraries: bool = True,
) -> TracerProvider:
    """Install this process's tracer provider (once) and instrument asyncpg and aiokafka."""
    global _installed
    with _lock:
        if _installed is None:
            _installed = create_tracer_provider(
                service_name, otlp_endpoint=otlp_endpoint, zipkin_endpoint=zipkin_endpoint, exporter=exporter
            )
            trace.set_tracer_provider(_installed)
        else:
            log.info("telemetry already set up in this process; %s joins the existing provider", service_name)
            if exporter is not None:
                _installed.add_span_processor(SimpleSpanProcessor(exporter))
        provider = _installed
    if instrument_libraries:
        instrument_asyncpg()
        instrument_kafka()
    return provider


def server_telemetry() -> TelemetryConfig:
    """FastAPI's own telemetry, as `FastAPI(telemetry=...)`: one SERVER span per request, named by
    method and route, continuing the caller's `traceparent`; the outbox stores its context.

    Only that span: spans per dependency, endpoint and serialisation, HTTP metrics and exception
    logs are off (`/metrics` is the service's own, errors are logged where they are handled).
    Probes and scrapes are not traced.
    """
    return {
        "operation_spans": False,
        "metrics": False,
        "logs": False,
        "exclude": lambda scope: scope.get("path") in _UNTRACED_PATHS,
    }


def instrument_asyncpg() -> None:
    """A client span per query, process-wide."""
    from opentelemetry.instrumentation.asyncpg import AsyncPGInstrumentor

    instrumentor = AsyncPGInstrumentor()  # type: ignore[no-untyped-call]
    if not instrumentor.is_instrumented_by_opentelemetry:
        instrumentor.instrument()


def instrument_kafka() -> None:
    """Spans around aiokafka send/getmany, process-wide.

    Its receive span ends before a handler runs, so the consumer parents its handler span itself
    (`consumer_span`). Its send span injects a second `traceparent` after the relay's own (same trace,
    one level deeper); extraction takes the first, as the instrumentation's getter does.
    """
    from opentelemetry.instrumentation.aiokafka import AIOKafkaInstrumentor

    instrumentor = AIOKafkaInstrumentor()
    if not instrumentor.is_instrumented_by_opentelemetry:
        instrumentor.instrument()
