"""Connections: JSON columns round-trip as Python values, sessions run in UTC, rollback unless done."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from huifang_infra.db import Pool, connect, transaction

from tests.support.scratch import pool_with_table

pytestmark = pytest.mark.integration


@pytest.fixture
async def pool(database_url: str) -> AsyncIterator[Pool]:
    async with pool_with_table(
        database_url, "CREATE TABLE docs (id int PRIMARY KEY, body jsonb NOT NULL, extra json)"
    ) as pool:
        yield pool


async def test_dicts_round_trip_through_json_and_jsonb(pool: Pool) -> None:
    body = {"label": "维修回访", "scores": [5, 4], "nested": {"ok": True, "none": None}}
    async with transaction(pool) as conn:
        await conn.execute("INSERT INTO docs VALUES (1, $1, $2)", body, ["a", 1])

    row = await pool.fetchrow("SELECT body, extra, body->>'label' AS label FROM docs WHERE id = 1")

    assert row is not None
    assert (row["body"], row["extra"], row["label"]) == (body, ["a", 1], "维修回访")


async def test_sessions_run_in_utc(pool: Pool, database_url: str) -> None:
    assert await pool.fetchval("SHOW timezone") == "UTC"
    single = await connect(database_url)
    try:
        assert await single.fetchval("SHOW timezone") == "UTC"
        assert await single.fetchval("SELECT '{\"a\": 1}'::jsonb") == {"a": 1}
    finally:
        await single.close()


async def test_a_transaction_commits_when_the_block_ends(pool: Pool) -> None:
    async with transaction(pool) as conn:
        await conn.execute("INSERT INTO docs VALUES (2, '{}')")

    assert await pool.fetchval("SELECT count(*) FROM docs WHERE id = 2") == 1


async def test_a_transaction_rolls_back_when_the_block_raises(pool: Pool) -> None:
    with pytest.raises(LookupError):
        async with transaction(pool) as conn:
            await conn.execute("INSERT INTO docs VALUES (3, '{}')")
            raise LookupError("after the write")

    assert await pool.fetchval("SELECT count(*) FROM docs WHERE id = 3") == 0
