"""Upgrade without loss (issue 17 §8): the callback rows of a database made before the event store become one
`dispatch.AssignmentImported` event each, the stream then carries on from it, and a rebuild gives the rows back."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from huifang_contracts.topics import CATALOGUE
from huifang_dispatch.domain.assignment import stream_id
from huifang_dispatch.domain.events import AssignmentImported
from huifang_dispatch.service_layer.assigning import Assignments
from huifang_dispatch.service_layer.rebuild import rebuild_state
from huifang_infra.db import Pool, create_pool, transaction
from huifang_infra.migrations import MigrationSource, infra_migrations, migrate, service_migrations
from huifang_infra.outbox import Outbox

from tests.dispatch.integration.test_rebuild import row_hashes
from tests.dispatch.support import T0, FakeClock, consumed, due, scheduled

pytestmark = pytest.mark.integration

BEFORE_STREAMS = 5  # the last migration of the schema without assignment streams


@pytest.fixture
async def legacy_pool(database_url: str, tmp_path: Path) -> AsyncIterator[Pool]:
    """A database at today's schema before the conversion, holding rows the old write side left."""
    source = service_migrations("dispatch")
    old = tmp_path / "migrations"
    old.mkdir()
    for path in sorted(source.folder.glob("*.sql"))[:BEFORE_STREAMS]:
        shutil.copy(path, old / path.name)
    pool = await create_pool(database_url, min_size=1, max_size=4)
    await migrate(pool, [infra_migrations(), MigrationSource("dispatch", old)])
    async with transaction(pool) as conn:
        await conn.execute(
            """INSERT INTO staff (staff_id, group_id, estate_id, name, role, open_load, assigned_day, assigned_today)
               VALUES ('s1', 'G1', 'E1', '张三', 'service_center_staff', 1, NULL, 0),
                      ('s2', 'G1', 'E1', '李四', 'service_center_staff', 0, NULL, 0)"""
        )
        await conn.execute(
            """INSERT INTO callbacks (callback_id, group_id, estate_id, kind, source_type, source_id, window_start,
                   due_at, deadline, method, caller_role, max_attempts, department, requester_name, status,
                   assignee_id, assignee_role, assigned_at, accepted_at, attempts_made, last_attempt_at)
               VALUES ('old1', 'G1', 'E1', 'repair', 'intake.OrderClosed', 'WO-1', $1, $1, $2, 'phone',
                       'service_center_staff', 3, 'engineering', '王女士', 'accepted', 's1', 'service_center_staff',
                       $1, $1, 1, $1),
                      ('old2', 'G1', 'E1', 'complaint', 'intake.ComplaintResolved', 'C-2', $1, $1, $2, 'door',
                       'department_head', 3, 'security', NULL, 'completed', NULL, NULL, NULL, NULL, 2, $1)""",
            T0,
            T0 + timedelta(days=2),
        )
        await conn.execute(
            """UPDATE callbacks SET unassigned_reason = 'none_on_duty', escalated_to_role = 'office_manager',
                   escalated_at = $1, overdue = true, closed_at = $1 WHERE callback_id = 'old2'""",
            T0 + timedelta(days=3),
        )
    yield pool
    await pool.close()


async def test_legacy_rows_become_imported_streams_that_fold_and_rebuild_to_the_same_rows(legacy_pool: Pool) -> None:
    applied = await migrate(legacy_pool, [infra_migrations(), service_migrations("dispatch")])
    assert "dispatch/0006_assignment_streams.sql" in applied
    async with legacy_pool.acquire() as conn:
        before = await row_hashes(conn)  # the rows as the upgrade left them, loads moved to staff_loads (0010)
        assert [tuple(r) for r in await conn.fetch("SELECT staff_id, open_load FROM staff_loads")] == [("s1", 1)]

    assignments = Assignments(Outbox(CATALOGUE.topic_for), "office_manager", FakeClock())
    repository = assignments.repository()
    async with legacy_pool.acquire() as conn:
        state, version = await repository.load(conn, stream_id("old1"))
        ((stored, event),) = await repository.history(conn, stream_id("old2"))
    assert version == 1 and (state.status, state.assignee_id, state.attempts_made) == ("accepted", "s1", 1)
    assert isinstance(event, AssignmentImported) and stored.metadata == {"actor": "migration dispatch/0006"}
    assert (event.state.overdue, event.state.unassigned_reason, event.state.closed_at) == (
        True,
        "none_on_duty",
        T0 + timedelta(days=3),
    )

    # Rebuilt from the imported events alone: the same rows, the same open load.
    async with transaction(legacy_pool) as conn:
        assert (await rebuild_state(conn)).events == 2
        assert await row_hashes(conn) == before

    # The imported stream carries on: a late CallbackDue finds old1 placed and leaves it with s1.
    plan = scheduled("old1", "E1")
    async with transaction(legacy_pool) as conn:
        await assignments.apply(conn, consumed(due(plan, at=T0)))
        loads = {r["staff_id"]: r["open_load"] for r in await conn.fetch("SELECT staff_id, open_load FROM staff_loads")}
        again = await repository.load(conn, stream_id("old1"))
    assert again[1] == 2 and again[0].assignee_id == "s1"  # due again: already placed, kept
    assert loads == {"s1": 1}

    # Harmless when the upgrade is run again: no second import of a stream that exists.
    async with legacy_pool.acquire() as conn:
        await migrate(conn, [infra_migrations(), service_migrations("dispatch")])
        imported = await conn.fetchval("SELECT count(*) FROM events WHERE event_type = 'dispatch.AssignmentImported'")
    assert imported == 2
