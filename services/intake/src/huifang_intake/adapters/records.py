"""Records repository: the snapshot row in `records` (queries, commands' starting point) and the
record's stream in the event store (its full history), written in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID, uuid4

import asyncpg
from huifang_infra.db import Connection, json_text
from huifang_infra.eventstore import EventStore, NewEvent, StoredEvent, WrongExpectedVersion

from huifang_intake.domain.changes import Change, Record
from huifang_intake.domain.complaints import Complaint
from huifang_intake.domain.errors import Conflict
from huifang_intake.domain.orders import WorkOrder
from huifang_intake.domain.requests import Renovation, ServiceRequest

#: (event_id, event_type, event_version, topic, key, value, traceparent, tracestate): an outbox row.
OutboxRow = tuple[UUID, str, int, str, bytes, bytes, str | None, str | None]

#: (group_id, subject, key, request_hash, status_code, response): a remembered Idempotency-Key answer.
KeyRow = tuple[str, str, str, str, int, dict[str, Any]]


@dataclass(frozen=True, slots=True)
class NewRecord:
    """A new record as written: snapshot, first history, outbox rows and, for an HTTP command, the
    Idempotency-Key answer; everything the statement needs, so it can be written later in a batch."""

    record_type: str
    record: Record
    changes: list[Change]
    metadata: dict[str, Any]
    outbox: list[OutboxRow]
    key: KeyRow | None = None


class KeyTaken(Exception):
    """The Idempotency-Key is already stored: the statement wrote nothing; the stored answer decides."""


RECORD_TYPES: dict[str, type[Record]] = {
    "order": WorkOrder,
    "complaint": Complaint,
    "request": ServiceRequest,
    "renovation": Renovation,
}
_ID_FIELD = {"order": "order_id", "complaint": "complaint_id", "request": "request_id", "renovation": "renovation_id"}

_INSERT = """
INSERT INTO records (group_id, estate_id, record_type, record_id, erp_id, status, kind, channel, category,
                     subcategory, grade, validity, requester_phone, opened_at, closed_at, version, state)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
"""
# New records in one round trip: their first history events, snapshots, outbox rows and Idempotency-Key
# answers commit in one statement (the unique (stream_id, stream_version) and primary keys refuse a
# second creation). One record or a group commit's many: every column is an array, a row per record.
# The outbox columns are infra's `Outbox.add` (infra/src/huifang_infra/sql/0002_outbox.sql).
_CREATE = """
WITH stream AS (
    INSERT INTO events (stream_id, stream_version, event_id, event_type, event_version, group_id, estate_id,
                        data, metadata)
    SELECT e.stream_id, e.n, e.event_id, e.event_type, 1, e.group_id, e.estate_id, e.data::jsonb, e.metadata::jsonb
    FROM unnest($1::text[], $2::int[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
         AS e(stream_id, n, event_id, event_type, group_id, estate_id, data, metadata)
    RETURNING 1
), outgoing AS (
    INSERT INTO outbox (event_id, event_type, event_version, topic, key, value, traceparent, tracestate)
    SELECT * FROM unnest($9::uuid[], $10::text[], $11::int[], $12::text[], $13::bytea[], $14::bytea[],
                         $15::text[], $16::text[])
    RETURNING 1
), keyed AS (
    INSERT INTO idempotency_keys (group_id, subject, key, request_hash, status_code, response)
    SELECT k.g, k.s, k.k, k.h, k.c, k.r::jsonb
    FROM unnest($17::text[], $18::text[], $19::text[], $20::text[], $21::int[], $22::text[]) AS k(g, s, k, h, c, r)
    RETURNING 1
)
INSERT INTO records (group_id, estate_id, record_type, record_id, erp_id, status, kind, channel, category,
                     subcategory, grade, validity, requester_phone, opened_at, closed_at, version, state)
SELECT r.g, r.e, r.t, r.i, r.erp, r.st, r.k, r.ch, r.cat, r.sub, r.gr, r.v, r.ph, r.o, r.c, r.ver, r.state::jsonb
FROM unnest($23::text[], $24::text[], $25::text[], $26::text[], $27::text[], $28::text[], $29::text[],
            $30::text[], $31::text[], $32::text[], $33::text[], $34::text[], $35::text[], $36::timestamptz[],
            $37::timestamptz[], $38::int[], $39::text[])
     AS r(g, e, t, i, erp, st, k, ch, cat, sub, gr, v, ph, o, c, ver, state)
"""

_UPDATE = """
UPDATE records SET status = $5, kind = $6, channel = $7, category = $8, subcategory = $9, grade = $10,
       validity = $11, requester_phone = $12, closed_at = $13, version = $14, state = $15, updated_at = now()
WHERE group_id = $1 AND record_type = $2 AND record_id = $3 AND version = $4
"""


def record_id_of(record_type: str, record: Record) -> str:
    return str(getattr(record, _ID_FIELD[record_type]))


def stream_id(record_type: str, group_id: str, record_id: str) -> str:
    return f"intake-{record_type}-{group_id}-{record_id}"


def _arrays(rows: Sequence[Sequence[Any]], width: int) -> list[list[Any]]:
    """Rows as one array per column, the shape `unnest` takes."""
    return [list(column) for column in zip(*rows, strict=True)] if rows else [[] for _ in range(width)]


def columns_of(record: Record) -> dict[str, Any]:
    """The records row of a record: the queried columns and its whole JSON state."""
    state = record.model_dump(mode="json")
    kind = state.get("request_kind") or ("complaint" if isinstance(record, Complaint) else None)
    if isinstance(record, Renovation):
        kind = "renovation"
    opened = getattr(record, "requested_at", None) or getattr(record, "received_at", None)
    opened = opened or getattr(record, "opened_at", None) or getattr(record, "completed_at", None)
    closed = getattr(record, "closed_at", None) or getattr(record, "resolved_at", None)
    if isinstance(record, Renovation):
        closed = record.completed_at
    return {
        "status": str(state["status"]),
        "kind": kind,
        "channel": state.get("channel"),
        "category": state.get("category"),
        "subcategory": state.get("subcategory"),
        "grade": state.get("grade"),
        "validity": state.get("validity"),
        "requester_phone": state.get("requester_phone"),
        "opened_at": opened,
        "closed_at": closed,
        "state": state,
    }


class Records:
    def __init__(self, store: EventStore | None = None) -> None:
        self._store = store or EventStore()

    async def get(
        self, conn: Connection, group_id: str, record_type: str, record_id: str, *, for_update: bool = False
    ) -> tuple[Record, int] | None:
        lock = " FOR UPDATE" if for_update else ""
        row = await conn.fetchrow(
            f"SELECT state, version FROM records WHERE group_id = $1 AND record_type = $2 AND record_id = $3{lock}",
            group_id,
            record_type,
            record_id,
        )
        if row is None:
            return None
        return RECORD_TYPES[record_type].model_validate(row["state"]), int(row["version"])

    async def create(
        self,
        conn: Connection,
        record_type: str,
        record: Record,
        changes: list[Change],
        metadata: dict[str, Any],
        outbox: list[OutboxRow],
        key: KeyRow | None = None,
    ) -> int:
        """A new record with its history, outbox rows and Idempotency-Key row, in one statement.

        An id taken is a `Conflict`; a key taken (a concurrent or earlier request) is `KeyTaken`.
        """
        await self.create_many(conn, [NewRecord(record_type, record, changes, metadata, outbox, key)])
        return len(changes)

    async def create_many(self, conn: Connection, new: Sequence[NewRecord]) -> None:
        """New records in one statement: all of them commit, or none (`Conflict` or `KeyTaken` as in
        `create`; among several, which one failed is not told)."""
        events: list[tuple[Any, ...]] = []
        records: list[tuple[Any, ...]] = []
        outbox: list[OutboxRow] = []
        keys: list[tuple[Any, ...]] = []
        for item in new:
            record, record_type = item.record, item.record_type
            record_id = record_id_of(record_type, record)
            stream = stream_id(record_type, record.group_id, record_id)
            metadata = json_text(item.metadata)
            events += [
                (stream, n, uuid4(), f"{record_type}.{c.name}", record.group_id, record.estate_id,
                 c.model_dump_json(), metadata)
                for n, c in enumerate(item.changes, start=1)
            ]  # fmt: skip
            cols = columns_of(record)
            records.append(
                (record.group_id, record.estate_id, record_type, record_id, record.erp_id,
                 cols["status"], cols["kind"], cols["channel"], cols["category"], cols["subcategory"],
                 cols["grade"], cols["validity"], cols["requester_phone"], cols["opened_at"], cols["closed_at"],
                 len(item.changes), json_text(cols["state"]))
            )  # fmt: skip
            outbox += item.outbox
            if item.key is not None:
                keys.append((*item.key[:5], json_text(item.key[5])))
        try:
            await conn.execute(
                _CREATE, *_arrays(events, 8), *_arrays(outbox, 8), *_arrays(keys, 6), *_arrays(records, 17)
            )
        except asyncpg.UniqueViolationError as exc:
            if exc.constraint_name == "idempotency_keys_pkey":
                raise KeyTaken() from exc
            if len(new) == 1:
                only = new[0]
                taken = record_id_of(only.record_type, only.record)
                raise Conflict(f"{only.record_type} {taken!r} already exists") from exc
            raise Conflict("one of these records already exists") from exc

    async def save(
        self,
        conn: Connection,
        record_type: str,
        record: Record,
        version: int,
        changes: list[Change],
        metadata: dict[str, Any] | None = None,
    ) -> int:
        """Append the changes to the record's stream and update its snapshot (`version` 0: insert it)."""
        record_id = record_id_of(record_type, record)
        events = [
            NewEvent(
                event_type=f"{record_type}.{change.name}",
                data=change.model_dump(mode="json"),
                group_id=record.group_id,
                estate_id=record.estate_id,
                metadata=metadata or {},
            )
            for change in changes
        ]
        try:
            new_version = await self._store.append(
                conn, stream_id(record_type, record.group_id, record_id), version, events
            )
        except WrongExpectedVersion as exc:
            raise Conflict(f"{record_type} {record_id!r} already exists or changed meanwhile") from exc
        cols = columns_of(record)
        if version == 0:
            try:
                await conn.execute(
                    _INSERT, record.group_id, record.estate_id, record_type, record_id, record.erp_id,
                    cols["status"], cols["kind"], cols["channel"], cols["category"], cols["subcategory"],
                    cols["grade"], cols["validity"], cols["requester_phone"], cols["opened_at"], cols["closed_at"],
                    new_version, cols["state"],
                )  # fmt: skip
            except asyncpg.UniqueViolationError as exc:
                raise Conflict(f"{record_type} {record_id!r} already exists") from exc
            return new_version
        status = await conn.execute(
            _UPDATE, record.group_id, record_type, record_id, version, cols["status"], cols["kind"],
            cols["channel"], cols["category"], cols["subcategory"], cols["grade"], cols["validity"],
            cols["requester_phone"], cols["closed_at"], new_version, cols["state"],
        )  # fmt: skip
        if status != "UPDATE 1":
            raise Conflict(f"{record_type} {record_id!r} changed meanwhile")
        return new_version

    async def history(self, conn: Connection, group_id: str, record_type: str, record_id: str) -> list[StoredEvent]:
        return await self._store.load(conn, stream_id(record_type, group_id, record_id))
