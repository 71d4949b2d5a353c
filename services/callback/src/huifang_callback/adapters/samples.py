"""The samples table: a projection of the sample streams, one row per estate, month and rule."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from huifang_infra.db import Connection
from huifang_infra.repository import Decided

from huifang_callback.domain.sample import SampleState

_COLUMNS = (
    "sample_id, group_id, estate_id, month, rule_id, request_kind, policy_id, policy_version, seed, algorithm,"
    " population, chosen, door_count, excluded, drawn_at, requested_by"
)


_TYPES = {
    "policy_version": "int", "door_count": "int", "drawn_at": "timestamptz", "population": "jsonb",
    "chosen": "jsonb", "excluded": "jsonb",
}  # fmt: skip


async def project_samples(conn: Connection, decided: Sequence[Decided[Any, SampleState, Any]]) -> None:
    """The samples table as the sample streams stand: a row per drawn sample (a replay inserts nothing)."""
    rows = [asdict(d.state.sample) for d in decided if d.state.sample is not None]
    if not rows:
        return
    names = [name.strip() for name in _COLUMNS.split(",")]
    arrays = ", ".join(
        f"${i}::text[]" if _TYPES.get(n) == "jsonb" else f"${i}::{_TYPES.get(n, 'text')}[]"
        for i, n in enumerate(names, start=1)
    )
    select = ", ".join(f"{n}::jsonb" if _TYPES.get(n) == "jsonb" else n for n in names)
    columns = [[json.dumps(list(r[n])) if _TYPES.get(n) == "jsonb" else r[n] for r in rows] for n in names]
    await conn.execute(
        f"""INSERT INTO samples ({_COLUMNS}) SELECT {select} FROM unnest({arrays}) AS t({_COLUMNS})
            ON CONFLICT (estate_id, month, rule_id) DO NOTHING""",
        *columns,
    )


async def drawn_keys(conn: Connection, months: list[str]) -> set[tuple[str, str, str]]:
    rows = await conn.fetch("SELECT estate_id, month, rule_id FROM samples WHERE month = ANY($1::text[])", months)
    return {(r["estate_id"], r["month"], r["rule_id"]) for r in rows}


async def get_sample(conn: Connection, sample_id: str) -> dict[str, Any] | None:
    row = await conn.fetchrow(f"SELECT {_COLUMNS} FROM samples WHERE sample_id = $1", sample_id)
    return dict(row) if row else None


async def find_sample(conn: Connection, estate_id: str, month: str, rule_id: str) -> dict[str, Any] | None:
    row = await conn.fetchrow(
        f"SELECT {_COLUMNS} FROM samples WHERE estate_id = $1 AND month = $2 AND rule_id = $3",
        estate_id,
        month,
        rule_id,
    )
    return dict(row) if row else None


async def list_samples(
    conn: Connection, group_id: str, estate_ids: list[str] | None, month: str | None, limit: int
) -> list[dict[str, Any]]:
    rows = await conn.fetch(
        f"""SELECT {_COLUMNS} FROM samples
            WHERE group_id = $1 AND ($2::text[] IS NULL OR estate_id = ANY($2::text[]))
              AND ($3::text IS NULL OR month = $3) ORDER BY month DESC, estate_id, rule_id LIMIT $4""",
        group_id,
        estate_ids,
        month,
        limit,
    )
    return [dict(r) for r in rows]
