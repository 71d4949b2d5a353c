"""GroupCommit against PostgreSQL: concurrent writes share statements, a bad item fails alone.

The write function below is a real multi-row INSERT, so "one statement" means one commit: when it
fails, nothing of the batch is in the table until the items are written again one by one.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence

import asyncpg
import pytest
from huifang_infra.db import Connection, Pool
from huifang_infra.group_commit import GroupCommit

from tests.support.scratch import pool_with_table

pytestmark = pytest.mark.integration


@pytest.fixture
async def pool(database_url: str) -> AsyncIterator[Pool]:
    async with pool_with_table(
        database_url, "CREATE TABLE notes (id int PRIMARY KEY, body text NOT NULL)", max_size=4
    ) as pool:
        yield pool


class Notes:
    """The write under test, counting its statements."""

    def __init__(self) -> None:
        self.statements: list[list[int]] = []

    async def write(self, conn: Connection, items: Sequence[tuple[int, str]]) -> None:
        self.statements.append([i for i, _ in items])
        await asyncio.sleep(0.01)  # a statement takes a while: requests arriving meanwhile queue up
        await conn.execute(
            "INSERT INTO notes SELECT * FROM unnest($1::int[], $2::text[])",
            [i for i, _ in items],
            [body for _, body in items],
        )


async def stored(pool: Pool) -> list[int]:
    return [row["id"] for row in await pool.fetch("SELECT id FROM notes ORDER BY id")]


async def test_a_lone_item_is_written_at_once_in_a_statement_of_its_own(pool: Pool) -> None:
    notes = Notes()
    group = GroupCommit(lambda: pool, notes.write)
    await group.submit((1, "一"))
    assert notes.statements == [[1]]
    assert await stored(pool) == [1]


async def test_concurrent_items_share_statements_and_all_commit(pool: Pool) -> None:
    notes = Notes()
    group = GroupCommit(lambda: pool, notes.write, max_batch=20)
    await asyncio.gather(*(group.submit((i, f"note {i}")) for i in range(50)))
    assert await stored(pool) == list(range(50))
    assert sorted(i for statement in notes.statements for i in statement) == list(range(50))
    assert len(notes.statements) < 50, "items that arrived during a statement went together in the next"
    assert max(len(statement) for statement in notes.statements) <= 20
    assert (group.batches, group.items) == (len(notes.statements), 50)


async def test_a_bad_item_fails_alone_and_its_neighbours_commit(pool: Pool) -> None:
    await pool.execute("INSERT INTO notes VALUES (7, 'already here')")
    notes = Notes()
    group = GroupCommit(lambda: pool, notes.write)
    outcomes = await asyncio.gather(*(group.submit((i, f"note {i}")) for i in range(5, 10)), return_exceptions=True)
    failed = {i for i, outcome in zip(range(5, 10), outcomes, strict=True) if outcome is not None}
    assert failed == {7}
    assert isinstance(outcomes[2], asyncpg.UniqueViolationError)
    assert await stored(pool) == [5, 6, 7, 8, 9]
    assert await pool.fetchval("SELECT body FROM notes WHERE id = 7") == "already here"
    batched = [s for s in notes.statements if len(s) > 1]
    assert batched, "the items were first tried together"
    assert [[i] for i in range(5, 10)] == [s for s in notes.statements if len(s) == 1][-5:], "then one by one"
