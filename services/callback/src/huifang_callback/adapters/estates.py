"""The estate projection: zone, preset and group of each estate, from intake's registry events."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from huifang_infra.db import Connection


@dataclass(frozen=True)
class Estate:
    group_id: str
    estate_id: str
    name: str
    preset: str
    timezone: str = "Asia/Shanghai"
    calendar: str = "cn-mainland"  # R-CB-2: which working-day calendar the estate keeps
    region: str | None = None


async def upsert_estate(conn: Connection, estate: Estate, at: datetime) -> None:
    # A late EstateRegistered after an EstateUpdated must not win: newest occurred_at keeps the row.
    await conn.execute(
        """INSERT INTO estates (group_id, estate_id, name, preset, timezone, calendar, region, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
           ON CONFLICT (estate_id) DO UPDATE SET group_id = excluded.group_id, name = excluded.name,
               preset = excluded.preset, timezone = excluded.timezone, calendar = excluded.calendar,
               region = excluded.region, updated_at = excluded.updated_at
           WHERE estates.updated_at <= excluded.updated_at""",
        estate.group_id,
        estate.estate_id,
        estate.name,
        estate.preset,
        estate.timezone,
        estate.calendar,
        estate.region,
        at,
    )


_COLUMNS = "group_id, estate_id, name, preset, timezone, calendar, region"


async def get_estate(conn: Connection, estate_id: str) -> Estate | None:
    row = await conn.fetchrow(f"SELECT {_COLUMNS} FROM estates WHERE estate_id = $1", estate_id)
    return Estate(**dict(row)) if row else None


async def all_estates(conn: Connection) -> list[Estate]:
    rows = await conn.fetch(f"SELECT {_COLUMNS} FROM estates ORDER BY estate_id")
    return [Estate(**dict(r)) for r in rows]


async def estates_of_group(conn: Connection, group_id: str) -> list[Estate]:
    rows = await conn.fetch(
        f"SELECT {_COLUMNS} FROM estates WHERE group_id = $1 ORDER BY estate_id",
        group_id,
    )
    return [Estate(**dict(r)) for r in rows]


async def estates_by_id(conn: Connection, estate_ids: list[str]) -> dict[str, Estate]:
    rows = await conn.fetch(
        f"SELECT {_COLUMNS} FROM estates WHERE estate_id = ANY($1::text[])",
        estate_ids,
    )
    return {r["estate_id"]: Estate(**dict(r)) for r in rows}
