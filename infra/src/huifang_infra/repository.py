"""Load → decide → append → project → outbox, in one transaction: the write side of every service.

A command names its stream; the repository folds the stream (from its snapshot, where one exists, plus
the later events), runs the aggregate's pure decider, appends what it decided with the version it read
(a writer that lost the race gets `WrongExpectedVersion`), hands the new events to the service's state
projection and writes their integration events to the outbox — all on one connection inside one
transaction, so a table row, a stored fact and a published event never disagree.

`execute_many` is the consumer's shape: a whole poll's commands load their streams in one statement,
decide in order (a stream named twice sees its own earlier decision), and append in one statement.
`run` is the HTTP shape: its own transaction, re-run on a fresh load when a concurrent writer won,
a bounded number of times, then `ConcurrencyConflict` (409).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar
from uuid import UUID, uuid4

from huifang_contracts.envelope import Envelope
from pydantic import TypeAdapter

from huifang_infra.db import Connection, Pool, transaction
from huifang_infra.decider import Decider
from huifang_infra.event_codec import EventCodec
from huifang_infra.eventstore import EventStore, NewEvent, StoredEvent, StreamAppend, WrongExpectedVersion
from huifang_infra.outbox import Outbox
from huifang_infra.telemetry import current_trace_headers
from huifang_infra.telemetry.causes import TraceHeaders, more_traces_by_cause, trace_of_cause

_TRACE_KEYS = ("traceparent", "tracestate")

C = TypeVar("C")
S = TypeVar("S")
E = TypeVar("E")


class ConcurrencyConflict(Exception):
    """Other writers kept changing the stream while this command was re-run: the caller may retry."""

    def __init__(self, stream_id: str, attempts: int) -> None:
        super().__init__(f"stream {stream_id!r} changed under {attempts} attempts; try again")
        self.stream_id = stream_id


@dataclass(frozen=True)
class Cause:
    """Where a command came from, kept in every event it produced: the audit trail and the trace."""

    group_id: str
    estate_id: str | None
    correlation_id: UUID | None = None
    causation_id: UUID | None = None
    actor: str | None = None
    trace: Mapping[str, str] = field(default_factory=dict)

    def metadata(self, stream_trace: Mapping[str, str] | None = None) -> dict[str, Any]:
        """Ids and trace for the stored events: the command's own trace (given, registered for its cause
        by the consumer, or the active span's), else the trace the stream was last written in — so a
        timer's transition continues the trace of the request that scheduled it."""
        found: dict[str, Any] = {k: str(v) for k, v in self._ids().items() if v is not None}
        found.update(self.own_trace() or stream_trace or {})
        return found

    def own_trace(self) -> Mapping[str, str]:
        return self.trace or trace_of_cause(self.causation_id) or current_trace_headers()

    def _ids(self) -> dict[str, object]:
        return {"correlation_id": self.correlation_id, "causation_id": self.causation_id, "actor": self.actor}

    @classmethod
    def of_envelope(cls, envelope: Envelope, actor: str | None = None) -> Cause:
        """A consumed event as the cause: its correlation continues, it is the causation."""
        return cls(
            group_id=envelope.group_id,
            estate_id=envelope.estate_id,
            correlation_id=envelope.correlation_id,
            causation_id=envelope.event_id,
            actor=actor,
        )


@dataclass(frozen=True)
class Command(Generic[C]):
    """A command addressed to one stream, with its cause."""

    stream_id: str
    command: C
    cause: Cause


@dataclass(frozen=True)
class Decided(Generic[C, S, E]):
    """What one command did to its stream: the state before and after, and the events (maybe none)."""

    stream_id: str
    command: C
    cause: Cause
    before: S
    state: S
    events: tuple[E, ...]
    version: int  # the stream's version after the new events
    event_ids: tuple[UUID, ...] = ()


Project = Callable[[Connection, Sequence[Decided[Any, Any, Any]]], Awaitable[None]]
Publish = Callable[[Decided[Any, Any, Any]], Sequence[Envelope]]


@dataclass(frozen=True)
class Snapshotting(Generic[S]):
    """Take a snapshot every `every` events; `kind` names the state's shape (change it when the shape changes)."""

    state_type: type[S]
    kind: str
    every: int = 50

    def adapter(self) -> TypeAdapter[S]:
        return TypeAdapter(self.state_type)


async def _no_projection(_conn: Connection, _decided: Sequence[Decided[Any, Any, Any]]) -> None:
    return None


def _nothing_published(_decided: Decided[Any, Any, Any]) -> Sequence[Envelope]:
    return ()


class Repository(Generic[C, S, E]):
    """One aggregate's streams: the decider, how its events are stored, projected and published."""

    def __init__(
        self,
        decider: Decider[C, S, E],
        codec: EventCodec[E],
        *,
        outbox: Outbox | None = None,
        project: Project = _no_projection,
        publish: Publish = _nothing_published,
        snapshots: Snapshotting[S] | None = None,
        store: EventStore | None = None,
        attempts: int = 3,
    ) -> None:
        self.decider, self.codec = decider, codec
        self._outbox, self._project, self._publish = outbox, project, publish
        self._snapshots = snapshots
        self._snapshot_adapter = snapshots.adapter() if snapshots else None
        self._store = store or EventStore()
        self._attempts = attempts

    async def project(self, conn: Connection, decided: Sequence[Decided[C, S, E]]) -> None:
        """The projection alone, as a write runs it: for a rebuild from the store."""
        await self._project(conn, decided)

    # -- reading -----------------------------------------------------------------------------------

    async def load(self, conn: Connection, stream_id: str) -> tuple[S, int]:
        """The stream's state and version (the initial state at 0 for a stream not yet written)."""
        return (await self.load_many(conn, [stream_id]))[stream_id]

    async def load_many(self, conn: Connection, stream_ids: Sequence[str]) -> dict[str, tuple[S, int]]:
        """Each stream folded from its snapshot and later events: one or two statements for all."""
        return (await self._load_with_traces(conn, stream_ids))[0]

    async def _load_with_traces(
        self, conn: Connection, stream_ids: Sequence[str]
    ) -> tuple[dict[str, tuple[S, int]], dict[str, TraceHeaders]]:
        unique = list(dict.fromkeys(stream_ids))
        start = await self._snapshots_of(conn, unique)
        later = await self._store.load_many(conn, {s: start[s][1] for s in unique})
        folded: dict[str, tuple[S, int]] = {}
        traces: dict[str, TraceHeaders] = {}
        for stream_id in unique:
            state, version = start[stream_id]
            for stored in later[stream_id]:
                state = self.decider.evolve(state, self.codec.decode(stored.event_type, stored.data))
                version = stored.stream_version
            folded[stream_id] = (state, version)
            if later[stream_id]:
                last = later[stream_id][-1].metadata
                if "traceparent" in last:
                    traces[stream_id] = {k: last[k] for k in _TRACE_KEYS if k in last}
        return folded, traces

    async def history(self, conn: Connection, stream_id: str) -> list[tuple[StoredEvent, E]]:
        """Every stored event of the stream with its decoded domain event: what the audit screens show."""
        return [(s, self.codec.decode(s.event_type, s.data)) for s in await self._store.load(conn, stream_id)]

    async def _snapshots_of(self, conn: Connection, stream_ids: list[str]) -> dict[str, tuple[S, int]]:
        start = {s: (self.decider.initial_state(), 0) for s in stream_ids}
        if self._snapshots is None or self._snapshot_adapter is None:
            return start
        rows = await conn.fetch(
            "SELECT stream_id, version, state FROM snapshots WHERE stream_id = ANY($1::text[]) AND kind = $2",
            stream_ids,
            self._snapshots.kind,
        )
        for row in rows:
            state = row["state"]
            start[row["stream_id"]] = (self._snapshot_adapter.validate_python(state), row["version"])
        return start

    # -- writing -----------------------------------------------------------------------------------

    async def execute(self, conn: Connection, stream_id: str, command: C, cause: Cause) -> Decided[C, S, E]:
        """One command inside the caller's transaction; a lost race raises `WrongExpectedVersion`."""
        return (await self.execute_many(conn, [Command(stream_id, command, cause)]))[0]

    async def execute_many(self, conn: Connection, commands: Sequence[Command[C]]) -> list[Decided[C, S, E]]:
        """A batch of commands inside the caller's transaction: one load, one append, one projection call."""
        if not commands:
            return []
        loaded, stream_traces = await self._load_with_traces(conn, [c.stream_id for c in commands])
        current = dict(loaded)
        inherited: dict[str, TraceHeaders] = {}  # streams whose new events continue the stream's trace
        decided: list[Decided[C, S, E]] = []
        new: dict[str, list[NewEvent]] = {}
        for c in commands:
            before, version = current[c.stream_id]
            events = tuple(self.decider.decide(c.command, before))
            state = self.decider.fold(events, before)
            trace = stream_traces.get(c.stream_id) if not c.cause.own_trace() else None
            stored = self._new_events(events, c.cause, trace)
            new.setdefault(c.stream_id, []).extend(stored)
            version += len(events)
            current[c.stream_id] = (state, version)
            ids = tuple(e.event_id for e in stored)
            decided.append(Decided(c.stream_id, c.command, c.cause, before, state, events, version, ids))
            if trace and events:
                inherited[c.stream_id] = trace
        appends = [StreamAppend(s, loaded[s][1], events) for s, events in new.items() if events]
        await self._store.append_many(conn, appends)
        changed = [d for d in decided if d.events]
        if changed:
            await self._project(conn, changed)
            await self._take_snapshots(conn, loaded, current)
            if self._outbox is not None:
                await self._write_outbox(conn, changed, inherited)
        return decided

    async def _write_outbox(
        self, conn: Connection, changed: Sequence[Decided[C, S, E]], inherited: Mapping[str, TraceHeaders]
    ) -> None:
        """The integration events; those of a command without a trace of its own join the stream's trace."""
        assert self._outbox is not None
        envelopes: list[Envelope] = []
        joined: dict[UUID, TraceHeaders] = {}
        for d in changed:
            published = self._publish(d)
            envelopes.extend(published)
            trace = inherited.get(d.stream_id)
            if trace:
                joined.update({e.causation_id: trace for e in published if e.causation_id is not None})
        if not joined:
            await self._outbox.add(conn, envelopes)
            return
        with more_traces_by_cause(joined):
            await self._outbox.add(conn, envelopes)

    async def run(self, pool: Pool, stream_id: str, command: C, cause: Cause) -> Decided[C, S, E]:
        """One command in its own transaction, re-run on a fresh load when another writer won."""
        for _attempt in range(self._attempts):
            try:
                async with transaction(pool) as conn:
                    return await self.execute(conn, stream_id, command, cause)
            except WrongExpectedVersion:
                continue
        raise ConcurrencyConflict(stream_id, self._attempts)

    def _new_events(self, events: Sequence[E], cause: Cause, stream_trace: TraceHeaders | None) -> list[NewEvent]:
        """The stored form of one command's events: its metadata computed and encoded once for all."""
        if not events:
            return []
        metadata = cause.metadata(stream_trace)
        metadata_text = json.dumps(metadata, ensure_ascii=False)
        encode, type_of = self.codec.encode_json, self.codec.type_of
        return [
            NewEvent(
                event_type=type_of(event),
                data={},
                group_id=cause.group_id,
                estate_id=cause.estate_id,
                event_id=uuid4(),
                metadata=metadata,
                data_text=encode(event),
                metadata_text=metadata_text,
            )
            for event in events
        ]

    async def _take_snapshots(
        self, conn: Connection, loaded: Mapping[str, tuple[S, int]], current: Mapping[str, tuple[S, int]]
    ) -> None:
        if self._snapshots is None or self._snapshot_adapter is None:
            return
        every = self._snapshots.every
        due = [(s, state, v) for s, (state, v) in current.items() if v // every > loaded[s][1] // every]
        if not due:
            return
        dump = self._snapshot_adapter.dump_python
        await conn.executemany(
            """INSERT INTO snapshots (stream_id, version, kind, state) VALUES ($1, $2, $3, $4)
               ON CONFLICT (stream_id) DO UPDATE SET version = EXCLUDED.version, kind = EXCLUDED.kind,
                   state = EXCLUDED.state, taken_at = now()
               WHERE snapshots.version < EXCLUDED.version""",
            [(s, v, self._snapshots.kind, dump(state, mode="json")) for s, state, v in due],
        )
