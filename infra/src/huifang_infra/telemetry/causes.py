"""Which trace an outbox row continues when the writer is not inside that event's own span.

Two writers are: a batch handler, which applies many records (many traces) in one call, and a timer,
which fires long after the request that scheduled it. In both an event names its cause
(`causation_id`), and the cause's trace is the one an operator follows: the consumer registers each
record's span here before calling a batch handler, and the outbox falls back to the trace stored with
the cause's own outbox row when there is no span at all.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from uuid import UUID

TraceHeaders = Mapping[str, str]

_by_cause: ContextVar[Mapping[UUID, TraceHeaders] | None] = ContextVar("huifang_traces_by_cause", default=None)


@contextmanager
def traces_by_cause(traces: Mapping[UUID, TraceHeaders]) -> Iterator[None]:
    """Within the block, an event caused by one of these ids is written in its cause's trace."""
    token = _by_cause.set(traces)
    try:
        yield
    finally:
        _by_cause.reset(token)


def trace_of_cause(causation_id: UUID | None) -> TraceHeaders | None:
    """The registered trace of the event's cause, if the current block registered one."""
    traces = _by_cause.get()
    if traces is None or causation_id is None:
        return None
    return traces.get(causation_id)


@contextmanager
def more_traces_by_cause(traces: Mapping[UUID, TraceHeaders]) -> Iterator[None]:
    """`traces_by_cause` on top of what is registered already; a registered trace is kept."""
    current = _by_cause.get() or {}
    with traces_by_cause({**traces, **current}):
        yield
