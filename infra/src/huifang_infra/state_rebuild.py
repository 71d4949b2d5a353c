"""Refill a service's state tables from its own event store alone: the proof that they are folds.

A state table is a projection of the service's streams, so it can be emptied and rebuilt at any time
with the service stopped: every stream of the aggregate is read whole, in stream order, folded by the
same decider, and handed to the same projection code the repository runs on each write. Nothing from
Kafka or another service is needed (read models of other services' events are rebuilt by rewinding the
consumer group instead, `huifang rebuild projections`).
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from huifang_infra.db import Connection
from huifang_infra.projections import quoted_table
from huifang_infra.repository import Cause, Decided, Repository

#: Streams projected per call of the projection (and events read per statement).
STREAMS_PER_BATCH = 2000
EVENTS_PER_PAGE = 20000


@dataclass(frozen=True)
class StateRebuild:
    """One aggregate's part in a rebuild: its repository and the tables its projection fills."""

    repository: Repository[Any, Any, Any]
    tables: Sequence[str]


@dataclass(frozen=True)
class Refill:
    """An aggregate whose service folds its own streams (its tables are emptied first, like the others'):
    `refill(conn)` reads the store and writes the rows, returning (streams, events)."""

    refill: Callable[[Connection], Awaitable[tuple[int, int]]]
    tables: Sequence[str]


@dataclass(frozen=True)
class Rebuilt:
    streams: int
    events: int
    seconds: float

    @property
    def events_per_second(self) -> float:
        return self.events / self.seconds if self.seconds else float("inf")


async def rebuild_state(conn: Connection, parts: Sequence[StateRebuild | Refill]) -> Rebuilt:
    """Empty every part's tables and refill them, in one transaction (all or nothing)."""
    started = time.perf_counter()
    streams = events = 0
    async with conn.transaction():
        tables = [quoted_table(t) for part in parts for t in part.tables]
        if tables:
            await conn.execute(f"TRUNCATE {', '.join(tables)}")
        for part in parts:
            s, e = await (part.refill(conn) if isinstance(part, Refill) else _refill(conn, part.repository))
            streams, events = streams + s, events + e
    return Rebuilt(streams, events, time.perf_counter() - started)


async def _refill(conn: Connection, repository: Repository[Any, Any, Any]) -> tuple[int, int]:
    """Read the aggregate's events a page at a time in (stream, version) order; project whole streams."""
    decider, codec = repository.decider, repository.codec
    types = sorted(codec.types)
    after_stream, after_version = "", 0
    pending: list[Decided[Any, Any, Any]] = []
    current: tuple[str, Any, list[Any], int, Cause] | None = None
    streams = events = 0
    while True:
        rows = await conn.fetch(
            """SELECT stream_id, stream_version, event_type, data::text AS data, group_id, estate_id FROM events
               WHERE event_type = ANY($1::text[]) AND (stream_id, stream_version) > ($2, $3)
               ORDER BY stream_id, stream_version LIMIT $4""",
            types,
            after_stream,
            after_version,
            EVENTS_PER_PAGE,
        )
        for row in rows:
            stream_id = row["stream_id"]
            if current is None or current[0] != stream_id:
                if current is not None:
                    pending.append(_decided(decider.initial_state(), current))
                current = (stream_id, decider.initial_state(), [], 0, Cause(row["group_id"], row["estate_id"]))
            event = codec.decode_json(row["event_type"], row["data"])
            current[2].append(event)
            current = (stream_id, decider.evolve(current[1], event), current[2], row["stream_version"], current[4])
            events += 1
        if len(pending) >= STREAMS_PER_BATCH:
            await repository.project(conn, pending)
            streams, pending = streams + len(pending), []
        if len(rows) < EVENTS_PER_PAGE:
            break
        after_stream, after_version = rows[-1]["stream_id"], rows[-1]["stream_version"]
    if current is not None:
        pending.append(_decided(decider.initial_state(), current))
    if pending:
        await repository.project(conn, pending)
        streams += len(pending)
    return streams, events


def _decided(initial: Any, stream: tuple[str, Any, list[Any], int, Cause]) -> Decided[Any, Any, Any]:
    stream_id, state, events, version, cause = stream
    return Decided(stream_id, None, cause, initial, state, tuple(events), version)
