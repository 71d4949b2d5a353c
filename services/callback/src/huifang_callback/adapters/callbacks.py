"""The callbacks table, a projection of the callback streams, and the queries the decisions read.

Each written stream's state is upserted whole (one statement per batch), so a redelivered or
rebuilt stream leaves the same row. A callback skipped for fatigue gets no row here — it is not
owed — but a row in `callback_skips`, where the quality department can see why.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from huifang_infra.db import Connection
from huifang_infra.repository import Decided

from huifang_callback.domain.callback_life import CallbackLife
from huifang_callback.domain.events import SkippedForFatigue

_COLUMNS = [
    ("callback_id", "text"),
    ("group_id", "text"),
    ("estate_id", "text"),
    ("source_type", "text"),
    ("source_id", "text"),
    ("kind", "text"),
    ("round", "int"),
    ("rule_id", "text"),
    ("policy_id", "text"),
    ("policy_version", "int"),
    ("window_start", "timestamptz"),
    ("due_at", "timestamptz"),
    ("deadline", "timestamptz"),
    ("method", "text"),
    ("caller_role", "text"),
    ("escalation", "text"),
    ("reopen_cap", "int"),
    ("max_attempts", "int"),
    ("mandatory", "bool"),
    ("sampled", "bool"),
    ("sample_id", "text"),
    ("unit_id", "text"),
    ("department", "text"),
    ("erp_id", "text"),
    ("correlation_id", "uuid"),
    ("cause_event_id", "uuid"),
    ("created_at", "timestamptz"),
    ("state", "text"),
    ("due_emitted_at", "timestamptz"),
    ("worker_id", "text"),
    ("rating_scale", "text"),
    ("satisfied", "bool"),
    ("attempts_used", "int"),
    ("overdue_at", "timestamptz"),
    ("closed_at", "timestamptz"),
    ("deadline_provisional", "bool"),
]
_NAMES = ", ".join(name for name, _ in _COLUMNS)
_SELECT = ", ".join(f"{name}::jsonb" if name == "escalation" else name for name, _ in _COLUMNS)
_ARRAYS = ", ".join(f"${i}::{kind}[]" for i, (_, kind) in enumerate(_COLUMNS, start=1))
_CHANGING = (
    "state", "due_emitted_at", "satisfied", "attempts_used", "overdue_at", "closed_at", "window_start", "due_at",
    "deadline", "deadline_provisional",
)  # fmt: skip
# One statement for a whole batch: unnest() of one array per column.
_UPSERT = f"""INSERT INTO callbacks ({_NAMES}) SELECT {_SELECT} FROM unnest({_ARRAYS}) AS t({_NAMES})
              ON CONFLICT (callback_id) DO UPDATE SET {", ".join(f"{c} = EXCLUDED.{c}" for c in _CHANGING)}"""

CallbackDecided = Decided[Any, CallbackLife, Any]


def _row(life: CallbackLife) -> tuple[Any, ...]:
    c = life.record
    assert c is not None and life.state is not None and life.created_at is not None
    return (
        c.callback_id, c.group_id, c.estate_id, c.source_type, c.source_id, c.kind.value, c.round, c.rule_id,
        c.policy_id, c.policy_version, c.window_start, c.due_at, c.deadline, c.method.value, c.caller_role.value,
        json.dumps([r.value for r in c.escalation]), c.reopen_cap, c.max_attempts, c.mandatory, c.sampled,
        c.sample_id, c.unit_id, c.department, c.erp_id, c.correlation_id, c.cause_event_id, life.created_at,
        life.state.value, life.due_emitted_at, c.worker_id, c.rating_scale.value, life.satisfied,
        life.attempts_used, life.overdue_at, life.closed_at, c.deadline_provisional,
    )  # fmt: skip


async def project_callbacks(conn: Connection, decided: Sequence[CallbackDecided]) -> None:
    """The callbacks table (and the skips) as the streams now stand; the last decision per stream wins."""
    latest = {d.stream_id: d.state for d in decided}
    await upsert_states(conn, list(latest.values()))
    skips = [(d.stream_id, e) for d in decided for e in d.events if isinstance(e, SkippedForFatigue)]
    await insert_skips(conn, skips)


async def upsert_states(conn: Connection, lives: Sequence[CallbackLife]) -> None:
    rows = [_row(life) for life in lives if life.record is not None and not life.skipped]
    if rows:
        await conn.execute(_UPSERT, *[list(column) for column in zip(*rows, strict=True)])


async def insert_skips(conn: Connection, skips: Sequence[tuple[str, SkippedForFatigue]]) -> None:
    if not skips:
        return
    await conn.executemany(
        """INSERT INTO callback_skips (callback_id, group_id, estate_id, source_type, source_id, rule_id, unit_id,
                                       reason, recent_contacts, max_contacts, days, skipped_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, 'fatigue', $8, $9, $10, $11) ON CONFLICT DO NOTHING""",
        [
            (e.callback.callback_id, e.callback.group_id, e.callback.estate_id, e.callback.source_type,
             e.callback.source_id, e.callback.rule_id, e.callback.unit_id, e.recent_contacts, e.max_contacts,
             e.days, e.at)
            for _, e in skips
        ],
    )  # fmt: skip


async def due_now(conn: Connection, now: datetime, limit: int) -> list[dict[str, Any]]:
    """Callbacks whose window opened; SKIP LOCKED lets a second instance take other rows, never the same."""
    rows = await conn.fetch(
        """SELECT callback_id, group_id, estate_id, correlation_id FROM callbacks
           WHERE state = 'scheduled' AND due_at <= $1 ORDER BY due_at LIMIT $2 FOR UPDATE SKIP LOCKED""",
        now,
        limit,
    )
    return [dict(r) for r in rows]


async def overdue_now(conn: Connection, now: datetime, limit: int) -> list[dict[str, Any]]:
    """Due callbacks past their deadline; each becomes overdue once (its stream refuses a second time)."""
    rows = await conn.fetch(
        """SELECT callback_id, group_id, estate_id, correlation_id FROM callbacks
           WHERE state = 'due' AND deadline < $1 ORDER BY deadline LIMIT $2 FOR UPDATE SKIP LOCKED""",
        now,
        limit,
    )
    return [dict(r) for r in rows]


async def scopes_of(conn: Connection, callback_ids: Sequence[str]) -> dict[str, tuple[str, str]]:
    """Group and estate of known callbacks: a survey outcome for an unknown one is logged, not applied."""
    rows = await conn.fetch(
        "SELECT callback_id, group_id, estate_id FROM callbacks WHERE callback_id = ANY($1::text[])",
        list(callback_ids),
    )
    return {r["callback_id"]: (r["group_id"], r["estate_id"]) for r in rows}


async def recent_contacts(conn: Connection, estate_id: str, since: datetime) -> dict[str, int]:
    """Issue 6 §7: non-mandatory callbacks per household since `since`."""
    rows = await conn.fetch(
        """SELECT unit_id, count(*) AS n FROM callbacks
           WHERE estate_id = $1 AND NOT mandatory AND unit_id IS NOT NULL AND created_at >= $2 GROUP BY unit_id""",
        estate_id,
        since,
    )
    return {r["unit_id"]: r["n"] for r in rows}


def since(now: datetime, days: int) -> datetime:
    return now - timedelta(days=days)


async def recent_contacts_many(conn: Connection, estate_ids: list[str], since: datetime) -> dict[str, dict[str, int]]:
    """`recent_contacts` for many estates in one query: estate → unit → count."""
    rows = await conn.fetch(
        """SELECT estate_id, unit_id, count(*) AS n FROM callbacks
           WHERE estate_id = ANY($1::text[]) AND NOT mandatory AND unit_id IS NOT NULL AND created_at >= $2
           GROUP BY estate_id, unit_id""",
        estate_ids,
        since,
    )
    found: dict[str, dict[str, int]] = {}
    for r in rows:
        found.setdefault(r["estate_id"], {})[r["unit_id"]] = r["n"]
    return found
