"""Append-only event streams, one per aggregate, in the service's own PostgreSQL database.

A service passes a connection inside its unit of work's transaction, which commits the appended
events together with its projection upserts and outbox rows, or none of them. `append` is a single
statement, so on a connection outside any transaction it is atomic on its own (one round trip).

Optimistic concurrency: the append is one INSERT … SELECT guarded by "the stream is still at the
expected version", so the common case costs one round trip. A writer that read an older version
inserts nothing and gets `WrongExpectedVersion` with the actual version. Two writers racing past that
guard at the same moment both try to insert the same `(stream_id, stream_version)`; the unique key
makes the second wait for the first and fail once it commits. That failure aborts the caller's
transaction, so the actual version cannot be read any more and is reported as unknown.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar
from uuid import UUID, uuid4

import asyncpg

from huifang_infra.db import Connection

State = TypeVar("State")

_STREAM_KEY = "events_stream_id_stream_version_key"
_COLUMNS = """global_position, stream_id, stream_version, event_id, event_type, event_version,
              group_id, estate_id, data::text AS data, metadata::text AS metadata, recorded_at"""

# JSON goes in and out as text so the store works on any asyncpg connection, codecs set or not.
_APPEND = """
INSERT INTO events (stream_id, stream_version, event_id, event_type, event_version,
                    group_id, estate_id, data, metadata)
SELECT $1, $2 + e.n, e.event_id, e.event_type, e.event_version, e.group_id, e.estate_id,
       e.data::jsonb, e.metadata::jsonb
FROM unnest($3::uuid[], $4::text[], $5::int[], $6::text[], $7::text[], $8::text[], $9::text[])
     WITH ORDINALITY AS e(event_id, event_type, event_version, group_id, estate_id, data, metadata, n)
WHERE (SELECT coalesce(max(stream_version), 0) FROM events WHERE stream_id = $1) = $2
"""

# Many streams in one statement. Versions are dense (1, 2, 3 …), so a writer that read version n appends
# n + 1: if the stream moved meanwhile, that (stream_id, stream_version) is taken and the unique key
# refuses the whole statement — no per-row check of the current version is needed.
_APPEND_MANY = """
INSERT INTO events (stream_id, stream_version, event_id, event_type, event_version,
                    group_id, estate_id, data, metadata)
SELECT e.stream_id, e.stream_version, e.event_id, e.event_type, e.event_version, e.group_id, e.estate_id,
       e.data::jsonb, e.metadata::jsonb
FROM unnest($1::text[], $2::int[], $3::uuid[], $4::text[], $5::int[], $6::text[], $7::text[], $8::text[],
            $9::text[])
     AS e(stream_id, stream_version, event_id, event_type, event_version, group_id, estate_id, data, metadata)
"""


class WrongExpectedVersion(Exception):
    """The stream moved since the caller read it: reload, decide again, retry (or give up)."""

    def __init__(self, stream_id: str, expected: int, actual: int | None) -> None:
        shown = "unknown (a concurrent append won)" if actual is None else actual
        super().__init__(f"stream {stream_id!r}: expected version {expected}, actual {shown}")
        self.stream_id, self.expected, self.actual = stream_id, expected, actual


@dataclass(frozen=True)
class NewEvent:
    """An event to append; `metadata` carries correlation/causation ids and trace context."""

    event_type: str
    data: dict[str, Any]
    group_id: str
    estate_id: str | None = None
    event_version: int = 1
    event_id: UUID = field(default_factory=uuid4)
    metadata: dict[str, Any] = field(default_factory=dict)
    #: `data` / `metadata` already as JSON text, when the writer has it (the repository encodes once).
    data_text: str | None = None
    metadata_text: str | None = None

    def data_json(self) -> str:
        return self.data_text if self.data_text is not None else json.dumps(self.data, ensure_ascii=False)

    def metadata_json(self) -> str:
        return self.metadata_text if self.metadata_text is not None else json.dumps(self.metadata, ensure_ascii=False)


@dataclass(frozen=True)
class StreamAppend:
    """New events for one stream, after the version its writer read."""

    stream_id: str
    expected_version: int
    events: Sequence[NewEvent]


@dataclass(frozen=True)
class StoredEvent:
    global_position: int
    stream_id: str
    stream_version: int
    event_id: UUID
    event_type: str
    event_version: int
    group_id: str
    estate_id: str | None
    data: dict[str, Any]
    metadata: dict[str, Any]
    recorded_at: datetime


class EventStore:
    """Reads and appends streams in the `events` table (infra migration 0001)."""

    async def append(self, conn: Connection, stream_id: str, expected_version: int, events: list[NewEvent]) -> int:
        """Append after `expected_version` (0 for a new stream); return the stream's new version."""
        if not events:
            actual = await self.version(conn, stream_id)
            if actual != expected_version:
                raise WrongExpectedVersion(stream_id, expected_version, actual)
            return actual
        try:
            status = await conn.execute(
                _APPEND,
                stream_id,
                expected_version,
                [e.event_id for e in events],
                [e.event_type for e in events],
                [e.event_version for e in events],
                [e.group_id for e in events],
                [e.estate_id for e in events],
                [e.data_json() for e in events],
                [e.metadata_json() for e in events],
            )
        except asyncpg.UniqueViolationError as exc:
            if exc.constraint_name != _STREAM_KEY:
                raise  # a reused event_id is a bug in the caller, not a concurrency conflict
            raise WrongExpectedVersion(stream_id, expected_version, None) from exc
        if status == "INSERT 0 0":
            raise WrongExpectedVersion(stream_id, expected_version, await self.version(conn, stream_id))
        return expected_version + len(events)

    async def append_many(self, conn: Connection, appends: Sequence[StreamAppend]) -> None:
        """Append to several streams in one statement (a consumer's poll); all or none.

        A stream that moved raises `WrongExpectedVersion` for it; the caller's transaction is then
        to be rolled back (the other streams' rows of this statement are in it).
        """
        rows = [(a, n, e) for a in appends for n, e in enumerate(a.events, start=1)]
        if not rows:
            return
        columns: list[list[Any]] = [[] for _ in range(9)]
        for a, n, e in rows:
            values = (
                a.stream_id,
                a.expected_version + n,
                e.event_id,
                e.event_type,
                e.event_version,
                e.group_id,
                e.estate_id,
                e.data_json(),
                e.metadata_json(),
            )
            for column, value in zip(columns, values, strict=True):
                column.append(value)
        try:
            await conn.execute(_APPEND_MANY, *columns)
        except asyncpg.UniqueViolationError as exc:
            if exc.constraint_name != _STREAM_KEY:
                raise
            moved = _stream_named(exc, appends)
            raise WrongExpectedVersion(moved.stream_id, moved.expected_version, None) from exc

    async def load_many(self, conn: Connection, after: Mapping[str, int]) -> dict[str, list[StoredEvent]]:
        """Each stream's events after the given version (0: all), in one statement."""
        if not after:
            return {}
        # A lateral index scan per stream: a join against the whole table would grow with the store.
        rows = await conn.fetch(
            f"""SELECT e.* FROM unnest($1::text[], $2::int[]) AS s(stream_id, after_version)
                CROSS JOIN LATERAL (SELECT {_COLUMNS} FROM events
                                    WHERE events.stream_id = s.stream_id AND stream_version > s.after_version
                                    ORDER BY stream_version) e""",
            list(after),
            list(after.values()),
        )
        found: dict[str, list[StoredEvent]] = {stream_id: [] for stream_id in after}
        for row in rows:
            found[row["stream_id"]].append(_stored(row))
        return found

    async def version(self, conn: Connection, stream_id: str) -> int:
        """The stream's current version; 0 when it has no events."""
        value = await conn.fetchval(
            "SELECT coalesce(max(stream_version), 0) FROM events WHERE stream_id = $1", stream_id
        )
        return int(value)

    async def load(self, conn: Connection, stream_id: str) -> list[StoredEvent]:
        """The stream's events in version order."""
        rows = await conn.fetch(
            f"SELECT {_COLUMNS} FROM events WHERE stream_id = $1 ORDER BY stream_version", stream_id
        )
        return [_stored(row) for row in rows]

    async def read_all(self, conn: Connection, after_position: int = 0, limit: int = 1000) -> list[StoredEvent]:
        """All streams in global order, a page at a time — for replays of a store at rest.

        Positions are assigned at insert and become visible at commit, so a transaction still open
        can later fill a gap below a position already read: do not use this to tail live writes.
        """
        rows = await conn.fetch(
            f"SELECT {_COLUMNS} FROM events WHERE global_position > $1 ORDER BY global_position LIMIT $2",
            after_position,
            limit,
        )
        return [_stored(row) for row in rows]

    async def load_and_fold(
        self,
        conn: Connection,
        stream_id: str,
        initial: State,
        apply: Callable[[State, StoredEvent], State],
    ) -> tuple[State, int]:
        """Rebuild an aggregate: fold its events over `initial`; return it with the version to append after."""
        state, version = initial, 0
        for event in await self.load(conn, stream_id):
            state, version = apply(state, event), event.stream_version
        return state, version


def _stream_named(exc: asyncpg.UniqueViolationError, appends: Sequence[StreamAppend]) -> StreamAppend:
    """The append whose stream the unique key names ("Key (stream_id, stream_version)=(s, 3) …")."""
    detail = getattr(exc, "detail", None) or ""
    return next((a for a in appends if f"=({a.stream_id}, " in detail), appends[0])


def _stored(row: asyncpg.Record) -> StoredEvent:
    return StoredEvent(
        global_position=row["global_position"],
        stream_id=row["stream_id"],
        stream_version=row["stream_version"],
        event_id=row["event_id"],
        event_type=row["event_type"],
        event_version=row["event_version"],
        group_id=row["group_id"],
        estate_id=row["estate_id"],
        data=json.loads(row["data"]),
        metadata=json.loads(row["metadata"]),
        recorded_at=row["recorded_at"],
    )
