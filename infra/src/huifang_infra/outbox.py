"""Writing events to the outbox, inside the caller's transaction.

The row is the promise that the event will reach Kafka: it commits or rolls back with the change
that caused it. The writer's trace context is stored with it so the relay can continue that trace.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from uuid import UUID

from huifang_contracts.envelope import Envelope

from huifang_infra.db import Connection
from huifang_infra.telemetry import current_trace_headers
from huifang_infra.telemetry.causes import TraceHeaders, trace_of_cause

TopicResolver = Callable[[str], str]


class Outbox:
    """Adds envelopes to the `outbox` table; `topic_for` maps an event type to its (suffixed) topic."""

    def __init__(self, topic_for: TopicResolver) -> None:
        self._topic_for = topic_for

    async def add(self, conn: Connection, envelopes: Sequence[Envelope]) -> None:
        if not envelopes:
            return
        traces = await _traces_for(conn, envelopes)
        # One statement for all rows: one round trip, one statement-level NOTIFY, ids in the given order.
        await conn.execute(
            """INSERT INTO outbox (event_id, event_type, event_version, topic, key, value, traceparent, tracestate)
               SELECT event_id, event_type, event_version, topic, key, value, traceparent, tracestate
               FROM unnest($1::uuid[], $2::text[], $3::int[], $4::text[], $5::bytea[], $6::bytea[], $7::text[],
                           $8::text[]) WITH ORDINALITY
                    AS r(event_id, event_type, event_version, topic, key, value, traceparent, tracestate, n)
               ORDER BY n""",
            [env.event_id for env in envelopes],
            [env.type for env in envelopes],
            [env.version for env in envelopes],
            [self._topic_for(env.type) for env in envelopes],
            [env.kafka_key() for env in envelopes],
            [env.to_bytes() for env in envelopes],
            [trace.get("traceparent") for trace in traces],
            [trace.get("tracestate") for trace in traces],
        )


async def _traces_for(conn: Connection, envelopes: Sequence[Envelope]) -> list[TraceHeaders]:
    """Per row: its cause's registered trace, else the active span's, else its cause's — an envelope
    earlier in this same call, or a row already in the outbox (a timer's event follows the event
    that scheduled it)."""
    current = current_trace_headers()
    traces: list[TraceHeaders] = [trace_of_cause(env.causation_id) or current for env in envelopes]
    orphans = {env.causation_id for env, trace in zip(envelopes, traces, strict=True) if not trace and env.causation_id}
    if not orphans:
        return traces
    rows = await conn.fetch(
        "SELECT event_id, traceparent, tracestate FROM outbox WHERE event_id = ANY($1::uuid[])"
        " AND traceparent IS NOT NULL",
        list(orphans),
    )
    known: dict[UUID | None, TraceHeaders] = {
        r["event_id"]: {k: r[k] for k in ("traceparent", "tracestate") if r[k]} for r in rows
    }
    resolved: list[TraceHeaders] = []
    for env, trace in zip(envelopes, traces, strict=True):
        trace = trace or known.get(env.causation_id, {})
        known[env.event_id] = trace  # a later envelope of this call may follow this one
        resolved.append(trace)
    return resolved


async def backlog(conn: Connection) -> int:
    """Unpublished rows: the relay's work still to do (a gauge on /metrics)."""
    return int(await conn.fetchval("SELECT count(*) FROM outbox WHERE published_at IS NULL"))


async def oldest_unpublished_age(conn: Connection) -> float | None:
    """Seconds the oldest unpublished row has waited, or None when the relay has caught up.

    The lowest id is the oldest by insertion (the partial index finds it at once); a late committer
    may be a little younger, which only makes the figure err on the side of waiting.
    """
    age = await conn.fetchval(
        """SELECT extract(epoch FROM now() - created_at)::float8 FROM outbox
            WHERE published_at IS NULL ORDER BY id LIMIT 1"""
    )
    return None if age is None else float(age)
