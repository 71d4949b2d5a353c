"""(c) Event-store appends: ours next to the `eventsourcing` library's PostgreSQL recorder.

Both append the same plan — every stream saved a few times, a few events per save, one transaction per
save as an aggregate's repository does — with the same payload bytes, on the same server, each in its
own database. Each builds its own event objects inside the timed loop, as a save would.

The library is synchronous (psycopg 3); it runs in a worker thread so the event loop stays free. Its
recorder, as configured by default, takes an EXCLUSIVE table lock per save so that notification ids
follow commit order; ours orders by global position only for replays at rest (see
`EventStore.read_all`), so it takes none. The library's database-function mode is measured as well.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from huifang_infra.db import Connection
from huifang_infra.eventstore import EventStore, NewEvent

from bench.timing import Measurement

EVENT_TYPE = "OrderRecorded"
LIBRARY_TOPIC = "huifang.bench:OrderRecorded"


@dataclass(frozen=True)
class Save:
    """One aggregate save: append `events` after `expected_version` of stream `stream`."""

    stream: uuid.UUID
    expected_version: int
    events: int


def save_plan(label: str, streams: int, saves_per_stream: int, events_per_save: int) -> list[Save]:
    """Saves in passes over all streams, so consecutive appends hit different streams as in a service."""
    ids = [uuid.uuid5(uuid.NAMESPACE_URL, f"bench-{label}-{i}") for i in range(streams)]
    return [Save(sid, n * events_per_save, events_per_save) for n in range(saves_per_stream) for sid in ids]


def event_data(stream: uuid.UUID, version: int) -> dict[str, Any]:
    """The payload both stores get (about 380 bytes of JSON), varying per event like real data."""
    return {
        "order_id": f"WO-{stream.hex[:10]}",
        "estate_id": f"E-{stream.int % 240:04d}",
        "category": "水电维修",
        "subcategory": "水管漏水",
        "requester_name": "王女士",
        "requester_phone": "13800138000",
        "department": "engineering",
        "worker_id": f"W-{version:03d}",
        "closed_at": "2026-10-09T05:00:00Z",
        "signed_off": True,
        "note": "x" * 80,
    }


async def append_ours(conn: Connection, saves: Sequence[Save], *, own_transaction: bool = True) -> Measurement:
    """`EventStore.append` inside its own transaction per save, one connection, one writer.

    Without `own_transaction` each append runs in autocommit (one statement is atomic): one round trip
    per save, like the library's database-function mode; it shows what BEGIN and COMMIT cost.
    """
    store = EventStore()
    events = 0
    started = time.perf_counter()
    for save in saves:
        batch = [
            NewEvent(EVENT_TYPE, event_data(save.stream, save.expected_version + i + 1), "G-BENCH", "E-0001")
            for i in range(save.events)
        ]
        if own_transaction:
            async with conn.transaction():
                await store.append(conn, str(save.stream), save.expected_version, batch)
        else:
            await store.append(conn, str(save.stream), save.expected_version, batch)
        events += len(batch)
    return Measurement(events, time.perf_counter() - started)


def library_recorder(database_url: str, *, db_functions: bool = False) -> PostgresApplicationRecorder:
    """The library's application recorder (the one its `Application` uses), tables created.

    `db_functions` is its documented POSTGRES_ENABLE_DB_FUNCTIONS mode: one call of a PL/pgSQL
    function per save, in one round trip and without the table lock.
    """
    parts = urlsplit(database_url)
    datastore = PostgresDatastore(
        dbname=parts.path.lstrip("/"),
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=unquote(parts.username or "postgres"),
        password=unquote(parts.password or ""),
        enable_db_functions=db_functions,
    )
    recorder = PostgresApplicationRecorder(datastore)
    recorder.create_table()
    return recorder


async def append_library(recorder: PostgresApplicationRecorder, saves: Sequence[Save]) -> Measurement:
    """`insert_events` once per save (its own transaction), in a worker thread."""
    return await asyncio.to_thread(_append_library_sync, recorder, saves)


def _append_library_sync(recorder: PostgresApplicationRecorder, saves: Sequence[Save]) -> Measurement:
    events = 0
    started = time.perf_counter()
    for save in saves:
        batch = [
            StoredEvent(
                originator_id=save.stream,
                originator_version=version,
                topic=LIBRARY_TOPIC,
                state=json.dumps(event_data(save.stream, version), ensure_ascii=False).encode(),
            )
            for version in range(save.expected_version + 1, save.expected_version + save.events + 1)
        ]
        recorder.insert_events(batch)
        events += len(batch)
    return Measurement(events, time.perf_counter() - started)


def close_library(recorder: PostgresApplicationRecorder) -> None:
    recorder.datastore.close()
