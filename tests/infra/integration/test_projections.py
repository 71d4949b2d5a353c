"""Rebuild support: projections and their inbox rows are reset, the sources of truth never (issue 4, item 10)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from uuid import uuid4

import asyncpg
import pytest
from huifang_infra.db import connect
from huifang_infra.eventstore import EventStore, NewEvent
from huifang_infra.migrations import infra_migrations, migrate
from huifang_infra.projections import ProtectedTable, reset_projections

pytestmark = pytest.mark.integration


@pytest.fixture
async def conn(database_url: str) -> AsyncIterator[asyncpg.Connection]:
    conn = await connect(database_url)
    await conn.execute(
        """CREATE TABLE callback_view (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, status text);
           CREATE TABLE daily_counts (day date PRIMARY KEY, n int);
           CREATE TABLE kept (id int)"""
    )
    await conn.execute("INSERT INTO callback_view (status) VALUES ('due'), ('done')")
    await conn.execute("INSERT INTO daily_counts VALUES ('2025-03-01', 4)")
    await conn.execute("INSERT INTO kept VALUES (1)")
    yield conn
    await conn.close()


async def count(conn: asyncpg.Connection, table: str) -> int:
    return int(await conn.fetchval(f"SELECT count(*) FROM {table}"))


async def test_projections_and_the_consumers_inbox_rows_are_reset_events_stay(conn: asyncpg.Connection) -> None:
    await migrate(conn, [infra_migrations()])
    async with conn.transaction():
        await EventStore().append(conn, "cb-1", 0, [NewEvent("CallbackScheduled", {}, group_id="g")])
    for consumer in ("callback", "callback", "reporting"):
        await conn.execute(
            "INSERT INTO inbox (consumer, event_id, event_type) VALUES ($1, $2, 'intake.OrderClosed')",
            consumer,
            uuid4(),
        )

    await reset_projections(conn, "callback", ["callback_view", "public.daily_counts"])

    assert (await count(conn, "callback_view"), await count(conn, "daily_counts")) == (0, 0)
    assert await conn.fetchval("SELECT array_agg(consumer) FROM inbox") == ["reporting"]
    assert (await count(conn, "events"), await count(conn, "kept")) == (1, 1)
    assert await count(conn, "schema_migrations") == len(list(infra_migrations().folder.glob("*.sql")))
    # identities restart, so a replay numbers its rows as the first run did
    assert await conn.fetchval("INSERT INTO callback_view (status) VALUES ('due') RETURNING id") == 1


async def test_a_reset_works_before_the_inbox_table_exists(conn: asyncpg.Connection) -> None:
    await reset_projections(conn, "callback", ["callback_view"])

    assert await count(conn, "callback_view") == 0


@pytest.mark.parametrize("table", ["events", "schema_migrations", "outbox", "inbox", "public.events"])
async def test_a_source_of_truth_is_never_reset(conn: asyncpg.Connection, table: str) -> None:
    with pytest.raises(ProtectedTable):
        await reset_projections(conn, "callback", ["callback_view", table])

    assert await count(conn, "callback_view") == 2  # refused before anything was emptied


async def test_a_name_that_is_not_a_plain_table_is_refused(conn: asyncpg.Connection) -> None:
    with pytest.raises(ValueError, match="not a plain table name"):
        await reset_projections(conn, "callback", ["kept; DROP TABLE kept"])

    assert await count(conn, "kept") == 1
