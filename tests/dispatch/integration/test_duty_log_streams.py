"""The duty log's days as streams (R-OP-3; issue 17 §3, §8): entries of a database made before the store become
one `dispatch.DutyDayImported` event per day with their ids and times; only the rebuild's own function empties
the append-only table, and it refills it from the store to the same rows."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import asyncpg
import pytest
from huifang_dispatch.domain import duty_log as dl
from huifang_dispatch.domain.errors import Conflict
from huifang_dispatch.domain.events import DutyDayImported, DutyDayKey
from huifang_dispatch.entrypoints.schemas import DutyLogIn, SignOffIn
from huifang_dispatch.service_layer.duty_logging import DutyLog
from huifang_dispatch.service_layer.rebuild import rebuild_state
from huifang_infra.auth import Principal, Role
from huifang_infra.db import Pool, create_pool, transaction
from huifang_infra.migrations import MigrationSource, infra_migrations, migrate, service_migrations

from tests.dispatch.integration.test_rebuild import row_hashes
from tests.dispatch.support import FakeClock

pytestmark = pytest.mark.integration

BEFORE_STREAMS = 5
INSERT = """INSERT INTO duty_log_entries (group_id, estate_id, service_center, duty_date, kind, author_id,
                                          author_role, body, corrects_entry_id, recorded_at)
            VALUES ('G1', 'E1', 'main', $1, $2, $3, $4, $5, $6, $7::text::timestamptz) RETURNING entry_id"""


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
        await conn.execute("SET LOCAL huifang.duty_log_import = 'on'")  # the old log's own times kept
        d4, d5 = date(2026, 3, 4), date(2026, 3, 5)
        first = await conn.fetchval(
            INSERT, d4, "entry", "li", "receptionist", "10:05 2栋漏水", None, "2026-03-04T02:05Z"
        )
        await conn.fetchval(INSERT, d4, "correction", "li", "receptionist", "更正", first, "2026-03-04T02:10Z")
        await conn.fetchval(INSERT, d4, "sign_off", "zhang", "department_head", "已查阅", None, "2026-03-05T01:00Z")
        await conn.fetchval(INSERT, d5, "entry", "wang", "receptionist", "平安", None, "2026-03-05T03:00Z")
    yield pool
    await pool.close()


async def test_legacy_days_are_imported_refused_a_second_sign_off_and_rebuilt_to_the_same_rows(
    legacy_pool: Pool,
) -> None:
    await migrate(legacy_pool, [infra_migrations(), service_migrations("dispatch")])
    async with legacy_pool.acquire() as conn:
        before = await row_hashes(conn)  # as the upgrade left them: its events decided nothing new
    days = DutyLog(FakeClock())
    key = DutyDayKey("G1", "E1", "main", date(2026, 3, 4))
    async with legacy_pool.acquire() as conn:
        ((_stored, event),) = await days.days.history(conn, dl.stream_id(key))
        state, _v = await days.days.load(conn, dl.stream_id(key))
    assert isinstance(event, DutyDayImported) and [e.kind for e in event.entries] == ["entry", "correction", "sign_off"]
    assert (state.entries, state.signed_off) == (3, True)

    # Still append-only for everyone else: a plain DELETE is refused, the store's events too.
    async with legacy_pool.acquire() as conn:
        with pytest.raises(asyncpg.IntegrityConstraintViolationError, match="append-only"):
            await conn.execute("DELETE FROM duty_log_entries")
        with pytest.raises(asyncpg.RestrictViolationError, match="append-only"):
            await conn.execute("DELETE FROM events")
    async with transaction(legacy_pool) as conn:
        assert (await rebuild_state(conn)).events == 2
        assert await row_hashes(conn) == before
        assert await conn.fetchval("SELECT count(*) FROM duty_log_rebuilds") == 0

    # The imported day goes on: its sign-off stands, a new entry of today takes a number after the old ones
    # (a refused command's number is not reused: the sequence, like the identity before it, never goes back).
    zhang = Principal(sub="zhang", role=Role.department_head, group_id="G1", estate_ids=frozenset({"E1"}))
    with pytest.raises(Conflict):
        await days.sign_off(legacy_pool, zhang, SignOffIn(estate_id="E1", duty_date=date(2026, 3, 4)))
    written = await days.write(legacy_pool, zhang, DutyLogIn(estate_id="E1", body="巡查完毕"))
    assert written["entry_id"] > 4 and (written["duty_date"], written["kind"]) == (date(2026, 3, 5), "entry")
