"""Writing the callback facts: one row per callback, filled in by whichever of its events arrives.

Events of one callback travel on four topics (callback, dispatch, survey), so any of them may come
first; every write is an upsert that sets only its own columns. The row's month and the roll-up's
recount follow by themselves (migration 0003).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from huifang_contracts.envelope import Envelope
from huifang_infra.db import Connection

Batch = Sequence[tuple[Any, Envelope]]

#: The array type each written column travels in (one statement per run: `unnest` of arrays).
_TYPES = {
    "seen_at": "timestamptz",
    "round": "integer",
    "sampled": "boolean",
    "due_at": "timestamptz",
    "deadline": "timestamptz",
    "attempts": "integer",
    "first_attempt_at": "timestamptz",
    "completed_at": "timestamptz",
    "satisfied_or_fair": "boolean",
    "late": "boolean",
    "failed_at": "timestamptz",
    "overdue_at": "timestamptz",
}


def _upsert(columns: Sequence[str], update: str) -> str:
    names = ("group_id", "estate_id", "callback_id", "seen_at", *columns)
    arrays = ", ".join(f"${i}::{_TYPES.get(name, 'text')}[]" for i, name in enumerate(names, start=1))
    # seen_at keeps the earliest instant, whatever order the topics deliver in (rebuilds agree)
    seen = "seen_at = LEAST(callbacks.seen_at, EXCLUDED.seen_at)"
    return (
        f"INSERT INTO callbacks ({', '.join(names)}) SELECT * FROM unnest({arrays}) "
        f"ON CONFLICT (group_id, estate_id, callback_id) DO UPDATE SET {update}, {seen}"
    )


def _set(columns: Sequence[str]) -> str:
    return ", ".join(f"{c} = EXCLUDED.{c}" for c in columns)


def waves(rows: Sequence[tuple[Any, ...]]) -> list[list[tuple[Any, ...]]]:
    """Split a run so no wave holds one callback twice, keeping each callback's rows in run order.

    One statement cannot update a row twice; wave k holds the k-th row of every callback, so applying
    the waves in turn is the same as applying the rows one by one (rows of different callbacks touch
    different rows). Mostly a run is one wave.
    """
    seen: dict[tuple[Any, Any, Any], int] = {}
    out: list[list[tuple[Any, ...]]] = []
    for row in rows:
        k = seen.get(row[:3], 0)
        seen[row[:3]] = k + 1
        if k == len(out):
            out.append([])
        out[k].append(row)
    return out


async def _write(
    conn: Connection, batch: Batch, columns: Sequence[str], values: Any, update: str | None = None
) -> None:
    rows = [(env.group_id, env.estate_id, ev.callback_id, env.occurred_at, *values(ev, env)) for ev, env in batch]
    sql = _upsert(columns, update or _set(columns))
    for wave in waves(rows):
        await conn.execute(sql, *[list(column) for column in zip(*wave, strict=True)])


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


async def scheduled(conn: Connection, batch: Batch) -> None:
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

    await _write(conn, batch, _SCHEDULED, values)


async def assigned(conn: Connection, batch: Batch) -> None:
    await _write(conn, batch, ("assignee_id",), lambda ev, _env: (ev.assignee_id,))


async def attempted(conn: Connection, batch: Batch) -> None:
    # R-CB-11: attempts are counted once each (the inbox dedupes redelivery).
    update = (
        "attempts = callbacks.attempts + 1, "
        "first_attempt_at = LEAST(callbacks.first_attempt_at, EXCLUDED.first_attempt_at)"
    )
    cols = ("attempts", "first_attempt_at")
    await _write(conn, batch, cols, lambda ev, _env: (1, ev.attempted_at), update)


_COMPLETED = ("caller_id", "completed_at", "satisfied_or_fair", "scale", "rating", "late", "answered_by", "comments")


async def completed(conn: Connection, batch: Batch) -> None:
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

    await _write(conn, batch, _COMPLETED, values)


async def failed(conn: Connection, batch: Batch) -> None:
    await _write(conn, batch, ("failed_at", "failure_reason"), lambda ev, env: (env.occurred_at, ev.reason.value))


async def overdue(conn: Connection, batch: Batch) -> None:
    update = "overdue_at = LEAST(callbacks.overdue_at, EXCLUDED.overdue_at)"
    await _write(conn, batch, ("overdue_at",), lambda _ev, env: (env.occurred_at,), update)
