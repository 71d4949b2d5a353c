"""Concurrent assigners (two consumer instances, the retry loop, a manager) never overload one person (R-CB-3)."""

from __future__ import annotations

import asyncio

import pytest
from huifang_contracts.topics import CATALOGUE
from huifang_dispatch.service_layer.assigning import Assignments
from huifang_infra.db import create_pool, transaction
from huifang_infra.migrations import infra_migrations, migrate, service_migrations
from huifang_infra.outbox import Outbox

from tests.dispatch.support import T0, FakeClock, consumed, due, scheduled

pytestmark = pytest.mark.integration

PEOPLE, CALLBACKS = 5, 60


async def test_parallel_assignments_keep_loads_within_one(database_url: str) -> None:
    pool = await create_pool(database_url, min_size=8, max_size=8)
    try:
        await migrate(pool, [infra_migrations(), service_migrations("dispatch")])
        assignments = Assignments(Outbox(CATALOGUE.topic_for), "office_manager", FakeClock())
        plans = [scheduled(f"cb{n}", "E1", due_at=T0) for n in range(CALLBACKS)]
        async with transaction(pool) as conn:
            await conn.executemany(
                """INSERT INTO staff (staff_id, group_id, estate_id, name, role)
                   VALUES ($1, 'G1', 'E1', $1, 'service_center_staff')""",
                [(f"s{i}",) for i in range(PEOPLE)],
            )
            await assignments.apply(conn, consumed(*plans))

        async def place(n: int) -> None:
            items = consumed(due(plans[n], at=T0))
            async with transaction(pool) as conn:
                await asyncio.sleep(0)  # let the others reach their locks
                await assignments.apply(conn, items)

        await asyncio.gather(*(place(n) for n in range(CALLBACKS)))
        async with pool.acquire() as conn:
            loads = {
                r["staff_id"]: r["open_load"] for r in await conn.fetch("SELECT staff_id, open_load FROM staff_loads")
            }
            held = await conn.fetch("SELECT assignee_id, count(*) AS n FROM callbacks GROUP BY assignee_id")
            published = await conn.fetchval(
                "SELECT count(*) FROM outbox WHERE event_type = 'dispatch.CallbackAssigned'"
            )
    finally:
        await pool.close()
    # 60 callbacks over 5 people, one lock order: exactly 12 each, and the counters match the rows.
    assert loads == {f"s{i}": CALLBACKS // PEOPLE for i in range(PEOPLE)}
    assert {r["assignee_id"]: r["n"] for r in held} == loads
    assert published == CALLBACKS
