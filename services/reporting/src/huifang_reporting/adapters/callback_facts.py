"""Writing the callback facts: one row per callback, filled in by whichever of its events arrives.

Events of one callback travel on four topics (callback, dispatch, survey), so any of them may come
first; every write is an upsert that sets only its own columns.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from huifang_contracts.envelope import Envelope
from huifang_infra.db import Connection

from huifang_reporting.adapters.months import Ident, Key, touching

Batch = Sequence[tuple[Any, Envelope]]

_INSERT = "INSERT INTO callbacks (group_id, estate_id, callback_id, seen_at{cols}) VALUES ($1, $2, $3, $4{params})"


def _upsert(columns: Sequence[str], update: str) -> str:
    cols = "".join(f", {c}" for c in columns)
    params = "".join(f", ${i + 5}" for i in range(len(columns)))
    sql = _INSERT.format(cols=cols, params=params)
    # seen_at keeps the earliest instant, whatever order the topics deliver in (rebuilds agree)
    seen = "seen_at = LEAST(callbacks.seen_at, EXCLUDED.seen_at)"
    return f"{sql} ON CONFLICT (group_id, estate_id, callback_id) DO UPDATE SET {update}, {seen}"


def _set(columns: Sequence[str]) -> str:
    return ", ".join(f"{c} = EXCLUDED.{c}" for c in columns)


async def _write(
    conn: Connection, batch: Batch, columns: Sequence[str], values: Any, update: str | None = None
) -> set[Key]:
    idents: list[Ident] = [(env.group_id, env.estate_id, ev.callback_id) for ev, env in batch]
    rows = [(env.group_id, env.estate_id, ev.callback_id, env.occurred_at, *values(ev, env)) for ev, env in batch]
    sql = _upsert(columns, update or _set(columns))
    return await touching(conn, "callbacks", idents, lambda: conn.executemany(sql, rows))


_SCHEDULED = (
    "kind",
    "source_type",
    "source_id",
    "department",
    "category",
    "grade",
    "round",
    "sampled",
    "method",
    "due_at",
    "deadline",
)


async def scheduled(conn: Connection, batch: Batch) -> set[Key]:
    def values(ev: Any, _env: Envelope) -> tuple[Any, ...]:
        return (
            ev.kind.value,
            ev.source_type,
            ev.source_id,
            ev.department,
            ev.category,
            ev.grade.value if ev.grade else None,
            ev.round,
            ev.sampled,
            ev.method.value,
            ev.due_at,
            ev.deadline,
        )

    return await _write(conn, batch, _SCHEDULED, values)


async def assigned(conn: Connection, batch: Batch) -> set[Key]:
    return await _write(conn, batch, ("assignee_id",), lambda ev, _env: (ev.assignee_id,))


async def attempted(conn: Connection, batch: Batch) -> set[Key]:
    # R-CB-11: attempts are counted once each (the inbox dedupes redelivery).
    update = (
        "attempts = callbacks.attempts + 1, "
        "first_attempt_at = LEAST(callbacks.first_attempt_at, EXCLUDED.first_attempt_at)"
    )
    cols = ("attempts", "first_attempt_at")
    return await _write(conn, batch, cols, lambda ev, _env: (1, ev.attempted_at), update)


_COMPLETED = ("caller_id", "completed_at", "satisfied_or_fair", "scale", "rating", "late", "answered_by", "comments")


async def completed(conn: Connection, batch: Batch) -> set[Key]:
    def values(ev: Any, _env: Envelope) -> tuple[Any, ...]:
        # R-SV-3: both scales reduce to satisfied-or-fair; the flag is validated against the rating.
        return (
            ev.caller_id,
            ev.completed_at,
            ev.satisfied_or_fair,
            ev.ratings.scale.value,
            ev.ratings.overall.value,
            ev.late,
            ev.answered_by,
            ev.comments,
        )

    return await _write(conn, batch, _COMPLETED, values)


async def failed(conn: Connection, batch: Batch) -> set[Key]:
    return await _write(
        conn, batch, ("failed_at", "failure_reason"), lambda ev, env: (env.occurred_at, ev.reason.value)
    )


async def overdue(conn: Connection, batch: Batch) -> set[Key]:
    update = "overdue_at = LEAST(callbacks.overdue_at, EXCLUDED.overdue_at)"
    return await _write(conn, batch, ("overdue_at",), lambda _ev, env: (env.occurred_at,), update)
