"""Log lines that carry the trace and span id, so a line found in the logs leads to its whole trace."""

from __future__ import annotations

import logging
import sys

from opentelemetry import trace

NO_TRACE = "-"
LOG_FORMAT = "%(asctime)s %(levelname)s %(service_name)s %(name)s trace_id=%(trace_id)s span_id=%(span_id)s %(message)s"


class TraceContextFilter(logging.Filter):
    """Adds `trace_id`, `span_id` (hex, as trace viewers show them, or "-") and `service_name` to records.

    Put it on a handler, not a logger: a logger's filters never see records propagated from its children.
    """

    def __init__(self, service_name: str) -> None:
        super().__init__()
        self.service_name = service_name

    def filter(self, record: logging.LogRecord) -> bool:
        ctx = trace.get_current_span().get_span_context()
        record.trace_id = format(ctx.trace_id, "032x") if ctx.is_valid else NO_TRACE
        record.span_id = format(ctx.span_id, "016x") if ctx.is_valid else NO_TRACE
        record.service_name = self.service_name
        return True


class _TraceLogHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """The handler `configure_logging` owns, so calling it again replaces rather than duplicates."""


def configure_logging(service_name: str, level: int | str = logging.INFO) -> logging.Handler:
    """One stderr handler on the root logger whose every line carries the trace context."""
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _TraceLogHandler)]:
        root.removeHandler(old)
    handler = _TraceLogHandler(sys.stderr)
    handler.addFilter(TraceContextFilter(service_name))
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    root.addHandler(handler)
    root.setLevel(level)
    return handler
