"""Upgrade without loss (issue 17 §8): a roster of a database made before the store becomes one
`dispatch.RosterImported` event with its shifts and changes; the month goes on from it (R-OP-3) and a rebuild
gives the rows back."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import pytest
from huifang_dispatch.domain import roster_month as rm
from huifang_dispatch.domain.errors import Conflict
from huifang_dispatch.domain.events import RosterImported
from huifang_dispatch.service_layer.rebuild import rebuild_state
from huifang_dispatch.service_layer.rostering import Rosters
from huifang_infra.auth import Principal, Role
from huifang_infra.db import Pool, create_pool, transaction
from huifang_infra.migrations import MigrationSource, infra_migrations, migrate, service_migrations

from tests.dispatch.integration.test_rebuild import row_hashes
from tests.dispatch.support import T0, FakeClock

pytestmark = pytest.mark.integration

BEFORE_STREAMS = 5
ROSTER = "ros-E1-main-2026-03"


@pytest.fixture
async def legacy_pool(database_url: str, tmp_path: Path) -> AsyncIterator[Pool]:
    source = service_migrations("dispatch")
    old = tmp_path / "migrations"
    old.mkdir()
    for path in sorted(source.folder.glob("*.sql"))[:BEFORE_STREAMS]:
        shutil.copy(path, old / path.name)
    pool = await create_pool(database_url, min_size=1, max_size=4)
    await migrate(pool, [infra_migrations(), MigrationSource("dispatch", old)])
    async with transaction(pool) as conn:
        await conn.execute(
            """INSERT INTO rosters (roster_id, group_id, estate_id, service_center, month, status, created_by,
                                    published_by, published_at, published_late)
               VALUES ($1, 'G1', 'E1', 'main', '2026-03', 'published', 'boss', 'boss', $2, true)""",
            ROSTER,
            T0,
        )
        await conn.executemany(
            "INSERT INTO roster_shifts VALUES ($1, 'G1', 'E1', $2, $3)",
            [(ROSTER, date(2026, 3, d), "odd" if d % 2 else "even") for d in range(1, 32)],
        )
        await conn.execute(
            """INSERT INTO roster_changes (change_id, roster_id, group_id, estate_id, kind, duty_date, staff_id,
                                           substitute_id, status, requested_by)
               VALUES ('chg1', $1, 'G1', 'E1', 'leave', '2026-03-05', 'odd', 'cover', 'requested', 'odd')""",
            ROSTER,
        )
    yield pool
    await pool.close()


async def test_a_legacy_roster_is_imported_whole_goes_on_and_rebuilds_to_the_same_rows(legacy_pool: Pool) -> None:
    await migrate(legacy_pool, [infra_migrations(), service_migrations("dispatch")])
    async with legacy_pool.acquire() as conn:
        before = await row_hashes(conn)  # as the upgrade left them: its events decided nothing new
    rosters = Rosters(FakeClock())
    async with legacy_pool.acquire() as conn:
        ((_stored, event),) = await rosters.months.history(conn, rm.stream_id(ROSTER))
    assert isinstance(event, RosterImported) and len(event.shifts) == 31 and event.roster.published_late

    async with transaction(legacy_pool) as conn:
        assert (await rebuild_state(conn)).events == 1
        assert await row_hashes(conn) == before

    # The month goes on: published stays published; the waiting leave is approved, once.
    boss = Principal(sub="boss", role=Role.office_manager, group_id="G1", estate_ids=frozenset({"E1"}))
    with pytest.raises(Conflict):
        await rosters.publish(legacy_pool, boss, ROSTER)
    await rosters.decide_change(legacy_pool, boss, "chg1", approve=True)
    with pytest.raises(Conflict, match="already approved"):
        await rosters.decide_change(legacy_pool, boss, "chg1", approve=False)
    async with legacy_pool.acquire() as conn:
        change = await conn.fetchrow(
            "SELECT status, decided_by, decided_at FROM roster_changes WHERE change_id = 'chg1'"
        )
    assert (change["status"], change["decided_by"], change["decided_at"]) == ("approved", "boss", T0)
