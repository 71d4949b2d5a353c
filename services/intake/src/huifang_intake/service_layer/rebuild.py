"""The records table refilled from the records' streams alone (`huifang rebuild state --service intake`).

Each stream `intake-<type>-<group>-<id>` is read in version order and its changes folded (`replayed`):
the record's JSON, its version, and its last write's time (`updated_at`, the same transaction time the
write stamped). The rows are then written as a command writes them, through `_columns`.
"""

from __future__ import annotations

import json
from typing import Any

from huifang_infra.db import Connection, json_text

from huifang_intake.adapters.records import RECORD_TYPES, columns_of, record_id_of
from huifang_intake.domain.changes import replayed

PAGE = 20000
BATCH = 2000
STATE_TABLES = ("records",)

_ROWS = """
INSERT INTO records (group_id, estate_id, record_type, record_id, erp_id, status, kind, channel, category,
                     subcategory, grade, validity, requester_phone, opened_at, closed_at, version, state, updated_at)
SELECT r.g, r.e, r.t, r.i, r.erp, r.st, r.k, r.ch, r.cat, r.sub, r.gr, r.v, r.ph, r.o, r.c, r.ver, r.state::jsonb, r.u
FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
            $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::timestamptz[], $15::timestamptz[],
            $16::int[], $17::text[], $18::timestamptz[])
     AS r(g, e, t, i, erp, st, k, ch, cat, sub, gr, v, ph, o, c, ver, state, u)
"""


async def refill_records(conn: Connection) -> tuple[int, int]:
    """Fold every record stream into its row; (streams, events) read."""
    streams = events = 0
    rows: list[tuple[Any, ...]] = []
    current: list[Any] | None = None  # [stream_id, record_type, state, version, updated_at]
    after_stream, after_version = "intake-", 0
    while True:
        page = await conn.fetch(
            """SELECT stream_id, stream_version, event_type, data::text AS data, recorded_at FROM events
               WHERE stream_id LIKE 'intake-%' AND (stream_id, stream_version) > ($1, $2)
               ORDER BY stream_id, stream_version LIMIT $3""",
            after_stream,
            after_version,
            PAGE,
        )
        for event in page:
            if current is None or current[0] != event["stream_id"]:
                if current is not None:
                    rows.append(_row(current))
                    streams += 1
                current = [event["stream_id"], event["event_type"].split(".", 1)[0], None, 0, None]
            current[2] = replayed(current[2], _json(event["data"]))
            current[3], current[4] = event["stream_version"], event["recorded_at"]
            events += 1
        if len(rows) >= BATCH:
            await _write(conn, rows)
            rows = []
        if len(page) < PAGE:
            break
        after_stream, after_version = page[-1]["stream_id"], page[-1]["stream_version"]
    if current is not None:
        rows.append(_row(current))
        streams += 1
    await _write(conn, rows)
    return streams, events


def _json(text: str) -> dict[str, Any]:
    value: dict[str, Any] = json.loads(text)
    return value


def _row(stream: list[Any]) -> tuple[Any, ...]:
    _, record_type, state, version, updated_at = stream
    record = RECORD_TYPES[record_type].model_validate(state)
    cols = columns_of(record)
    return (
        record.group_id, record.estate_id, record_type, record_id_of(record_type, record), record.erp_id,
        cols["status"], cols["kind"], cols["channel"], cols["category"], cols["subcategory"], cols["grade"],
        cols["validity"], cols["requester_phone"], cols["opened_at"], cols["closed_at"], version,
        json_text(cols["state"]), updated_at,
    )  # fmt: skip


async def _write(conn: Connection, rows: list[tuple[Any, ...]]) -> None:
    if rows:
        await conn.execute(_ROWS, *[list(column) for column in zip(*rows, strict=True)])
