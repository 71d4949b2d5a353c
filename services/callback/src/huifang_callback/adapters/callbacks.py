"""The callbacks table: inserts that tolerate replays, and transitions guarded by state."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from huifang_infra.db import Connection

from huifang_callback.domain.callback import Callback

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
]
_NAMES = ", ".join(name for name, _ in _COLUMNS)
_SELECT = ", ".join(f"{name}::jsonb" if name == "escalation" else name for name, _ in _COLUMNS)
_ARRAYS = ", ".join(f"${i}::{kind}[]" for i, (_, kind) in enumerate(_COLUMNS, start=1))
# One statement for a whole batch: unnest() of one array per column, and RETURNING what was new.
_INSERT = f"""INSERT INTO callbacks ({_NAMES}) SELECT {_SELECT} FROM unnest({_ARRAYS}) AS t({_NAMES})
              ON CONFLICT DO NOTHING RETURNING callback_id"""

Cause = tuple[UUID | None, UUID | None]  # (correlation_id, causation event id)


async def insert_callbacks(conn: Connection, callbacks: Sequence[tuple[Callback, Cause]], at: datetime) -> set[str]:
    """The ids actually inserted (a replay of the same source, rule and round inserts nothing).

    R-CB-7: a callback whose window is already open is inserted as due, so the transaction that
    schedules it also announces it, without a second statement.
    """
    if not callbacks:
        return set()
    rows = [
        (
            c.callback_id,
            c.group_id,
            c.estate_id,
            c.source.event_type,
            c.source.source_id,
            c.source.kind.value,
            c.source.round,
            c.rule.rule_id,
            c.policy_id,
            c.policy_version,
            c.window.window_start,
            c.window.due_at,
            c.window.deadline,
            c.method.value,
            c.caller_role.value,
            json.dumps([r.value for r in c.rule.escalation]),
            c.rule.reopen_cap,
            c.rule.max_attempts,
            c.rule.mandatory,
            c.sampled,
            c.sample_id,
            c.source.unit_id,
            c.source.department,
            c.source.erp_id,
            cause[0],
            cause[1],
            at,
            "due" if c.window.due_at <= at else "scheduled",
            at if c.window.due_at <= at else None,
            c.source.worker_id,
            c.rating_scale.value,
        )
        for c, cause in callbacks
    ]
    columns = [list(column) for column in zip(*rows, strict=True)]
    found = await conn.fetch(_INSERT, *columns)
    return {r["callback_id"] for r in found}


async def claim_due(conn: Connection, now: datetime, limit: int) -> list[dict[str, Any]]:
    """Rows whose window opened; SKIP LOCKED lets a second instance take other rows, never the same."""
    rows = await conn.fetch(
        """UPDATE callbacks SET state = 'due', due_emitted_at = $1
           WHERE callback_id IN (SELECT callback_id FROM callbacks WHERE state = 'scheduled' AND due_at <= $1
                                 ORDER BY due_at LIMIT $2 FOR UPDATE SKIP LOCKED)
             AND state = 'scheduled'
           RETURNING *""",
        now,
        limit,
    )
    return [dict(r) for r in rows]


async def claim_overdue(conn: Connection, now: datetime, limit: int) -> list[dict[str, Any]]:
    """Due (or still scheduled) rows past their deadline; a row becomes overdue once."""
    rows = await conn.fetch(
        """UPDATE callbacks SET state = 'overdue', overdue_at = $1
           WHERE callback_id IN (SELECT callback_id FROM callbacks WHERE state = 'due' AND deadline < $1
                                 ORDER BY deadline LIMIT $2 FOR UPDATE SKIP LOCKED)
             AND state = 'due'
           RETURNING *""",
        now,
        limit,
    )
    return [dict(r) for r in rows]


async def close_callback(
    conn: Connection, callback_id: str, state: str, at: datetime, *, satisfied: bool | None, attempts: int
) -> dict[str, Any] | None:
    """Completed or failed, from any open state (a late answer still closes an overdue callback)."""
    row = await conn.fetchrow(
        """UPDATE callbacks SET state = $2, closed_at = $3, satisfied = $4, attempts_used = GREATEST(attempts_used, $5)
           WHERE callback_id = $1 AND state IN ('scheduled', 'due', 'overdue') RETURNING *""",
        callback_id,
        state,
        at,
        satisfied,
        attempts,
    )
    return dict(row) if row else None


async def record_attempt(conn: Connection, callback_id: str, attempt_no: int) -> bool:
    """R-CB-11: attempts made so far, as survey numbers them; False when the callback is unknown here.

    The greatest attempt number, not a running count: a redelivered attempt, or one that arrives
    after a later one, leaves the figure true (attempt 3 means three tries were made).
    """
    found = await conn.fetchval(
        """UPDATE callbacks SET attempts_used = GREATEST(attempts_used, $2)
           WHERE callback_id = $1 RETURNING attempts_used""",
        callback_id,
        attempt_no,
    )
    return found is not None


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
