"""The estates projection: the facts dispatch needs (name, group, time zone) from intake's events."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from huifang_infra.db import Connection

DEFAULT_TZ = "Asia/Shanghai"


async def upsert_estate(conn: Connection, group_id: str, estate_id: str, name: str, timezone: str) -> None:
    await conn.execute(
        """INSERT INTO estates (estate_id, group_id, name, timezone) VALUES ($1, $2, $3, $4)
           ON CONFLICT (estate_id) DO UPDATE
           SET group_id = EXCLUDED.group_id, name = EXCLUDED.name, timezone = EXCLUDED.timezone, updated_at = now()""",
        estate_id,
        group_id,
        name,
        timezone,
    )


def zone_named(name: str | None) -> ZoneInfo:
    """An estate's zone from its stored name; an estate not registered yet is in mainland China."""
    return ZoneInfo(name or DEFAULT_TZ)


async def estate_zone(conn: Connection, estate_id: str) -> ZoneInfo:
    """The estate's zone; an estate not registered yet is assumed to be in mainland China."""
    name = await conn.fetchval("SELECT timezone FROM estates WHERE estate_id = $1", estate_id)
    return zone_named(name)
