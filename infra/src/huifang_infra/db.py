"""Connections to a service's PostgreSQL: JSON as dicts, UTC sessions, a transaction helper.

Every connection is set up the same way, pooled or not, so a query behaves alike in the API, the
consumer, the relay and the tests: json/jsonb columns take and return Python values, and the session
time zone is UTC (asyncpg returns aware UTC datetimes anyway; this makes `now()::date` and
`date_trunc` in SQL agree with them).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, TypeAlias

import asyncpg
from asyncpg.pool import PoolConnectionProxy

#: What `pool.acquire()` yields and what `asyncpg.connect()` returns: accept both.
Connection: TypeAlias = asyncpg.Connection | PoolConnectionProxy
Pool: TypeAlias = asyncpg.Pool

_SERVER_SETTINGS = {"timezone": "UTC"}


def json_text(value: Any) -> str:
    """JSON as every json/jsonb parameter is written: compact, Chinese labels kept readable in psql
    and logs instead of \\uXXXX escapes. For a `text[]` of documents cast to jsonb in SQL."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


async def _set_up(conn: asyncpg.Connection) -> None:
    for type_name in ("json", "jsonb"):
        await conn.set_type_codec(type_name, schema="pg_catalog", encoder=json_text, decoder=json.loads)


async def _keep_session(conn: asyncpg.Connection) -> None:
    """Release without asyncpg's reset query (`pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *; RESET ALL`).

    That query is one more round trip on every release — for the intake's one-statement commands, a
    second statement per request. Nothing here leaves session state on a pooled connection: there are
    no session `SET`s, cursors live inside transactions, and the two session-level users (the relay's
    lock and LISTEN, the migrations' lock) undo theirs before releasing. asyncpg still rolls back an
    open transaction and drops listener callbacks before calling this.
    """
    return None


async def create_pool(url: str, *, min_size: int = 1, max_size: int = 10) -> Pool:
    """A pool whose connections all carry the JSON codecs and a UTC session."""
    return await asyncpg.create_pool(
        url,
        min_size=min_size,
        max_size=max_size,
        init=_set_up,
        reset=_keep_session,
        server_settings=_SERVER_SETTINGS,
    )


async def connect(url: str) -> asyncpg.Connection:
    """One connection set up like the pool's (for LISTEN, migrations, scripts)."""
    conn = await asyncpg.connect(url, server_settings=_SERVER_SETTINGS)
    await _set_up(conn)
    return conn


@asynccontextmanager
async def transaction(pool: Pool) -> AsyncIterator[Connection]:
    """A connection inside a transaction: committed when the block ends, rolled back if it raises."""
    async with pool.acquire() as conn, conn.transaction():
        yield conn
