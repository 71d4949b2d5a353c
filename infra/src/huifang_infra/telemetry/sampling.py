"""Record spans only while something exports them.

A service started without an exporter (no OTLP or Zipkin endpoint) still makes trace and span ids:
its log lines carry them, the outbox stores them and the next service continues the trace. What it
skips is the recording: attributes, events and the span objects themselves, which nothing would ever
read. On the intake hot path that bookkeeping was a large share of each request's CPU. Once an
exporter is added to the provider, sampling is the usual parent-based, always-on decision.
"""

from __future__ import annotations

from collections.abc import Sequence

from opentelemetry.context import Context
from opentelemetry.sdk.trace.sampling import ALWAYS_ON, Decision, ParentBased, Sampler, SamplingResult
from opentelemetry.trace import Link, SpanKind
from opentelemetry.trace.span import TraceState
from opentelemetry.util.types import Attributes


class RecordWhenExported(Sampler):
    """Drop (ids only) until `exporting` is set, then delegate (parent-based always-on by default)."""

    def __init__(self, delegate: Sampler | None = None) -> None:
        self._delegate = delegate or ParentBased(ALWAYS_ON)
        self.exporting = False

    def should_sample(
        self,
        parent_context: Context | None,
        trace_id: int,
        name: str,
        kind: SpanKind | None = None,
        attributes: Attributes = None,
        links: Sequence[Link] | None = None,
        trace_state: TraceState | None = None,
    ) -> SamplingResult:
        if not self.exporting:
            return SamplingResult(Decision.DROP)
        return self._delegate.should_sample(parent_context, trace_id, name, kind, attributes, links, trace_state)

    def get_description(self) -> str:
        state = "exporting" if self.exporting else "no exporter: ids only"
        return f"RecordWhenExported({self._delegate.get_description()}; {state})"
