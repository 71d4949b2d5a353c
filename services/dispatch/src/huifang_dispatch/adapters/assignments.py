"""The assignment projections: the `callbacks` row of each stream's state, and the staff's open load.

Written from what the repository decided, one statement each for a whole batch; the same function
refills them on a rebuild, so a row is always a fold of its stream.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from huifang_infra.db import Connection

from huifang_dispatch.adapters import staff
from huifang_dispatch.domain.assignment import LoadMove
from huifang_dispatch.domain.assignment_state import AssignmentState

#: The `callbacks` columns and their SQL types, as AssignmentState names them.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("callback_id", "text"),
    ("group_id", "text"),
    ("estate_id", "text"),
    ("kind", "text"),
    ("source_type", "text"),
    ("source_id", "text"),
    ("window_start", "timestamptz"),
    ("due_at", "timestamptz"),
    ("deadline", "timestamptz"),
    ("method", "text"),
    ("caller_role", "text"),
    ("apology", "bool"),
    ("max_attempts", "int"),
    ("round", "int"),
    ("department", "text"),
    ("worker_id", "text"),
    ("grade", "text"),
    ("category", "text"),
    ("subcategory", "text"),
    ("unit_id", "text"),
    ("requester_name", "text"),
    ("requester_phone", "text"),
    ("status", "text"),
    ("assignee_id", "text"),
    ("assignee_role", "text"),
    ("assigned_at", "timestamptz"),
    ("accepted_at", "timestamptz"),
    ("unassigned_reason", "text"),
    ("unassigned_since", "timestamptz"),
    ("escalated_to_role", "text"),
    ("escalated_at", "timestamptz"),
    ("overdue", "bool"),
    ("attempts_made", "int"),
    ("last_attempt_at", "timestamptz"),
    ("closed_at", "timestamptz"),
)
_NAMES = ", ".join(name for name, _type in COLUMNS)
_ARRAYS = ", ".join(f"${i}::{sql_type}[]" for i, (_name, sql_type) in enumerate(COLUMNS, start=1))
_UPDATES = ", ".join(f"{name} = EXCLUDED.{name}" for name, _type in COLUMNS[1:])
_UPSERT = f"""INSERT INTO callbacks ({_NAMES}) SELECT * FROM unnest({_ARRAYS})
              ON CONFLICT (callback_id) DO UPDATE SET {_UPDATES}"""


async def write_callbacks(conn: Connection, states: Iterable[AssignmentState]) -> None:
    """Each state as its row, in callback id order (the lock order of every writer)."""
    rows = sorted((s for s in states if s.known), key=lambda s: s.callback_id)
    if not rows:
        return
    columns: list[list[Any]] = [[getattr(s, name) for s in rows] for name, _type in COLUMNS]
    await conn.execute(_UPSERT, *columns)


def load_rows(moves: Sequence[LoadMove]) -> list[tuple[str, int, date | None, int]]:
    """Moves → one row per person for `staff.move_loads`: the net change of open load, the latest duty day
    assigned on and how many assignments fell on it (a new duty day restarts the day's count)."""
    by_person: dict[str, list[LoadMove]] = {}
    for move in moves:
        by_person.setdefault(move.staff_id, []).append(move)
    rows = []
    for staff_id in sorted(by_person):
        person = by_person[staff_id]
        days = [m.duty_date for m in person if m.duty_date is not None]
        latest = max(days) if days else None
        rows.append((staff_id, sum(m.delta for m in person), latest, sum(1 for d in days if d == latest)))
    return rows


async def write_loads(conn: Connection, moves: Sequence[LoadMove]) -> None:
    await staff.move_loads(conn, load_rows(moves))


#: What a state rebuild of the assignments empties and refills.
STATE_TABLES = ("callbacks", "staff_loads")
