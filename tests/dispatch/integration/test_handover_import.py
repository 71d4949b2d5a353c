"""Upgrade without loss (issue 17 §8): a service center's handover rows from before the event store become one
`dispatch.HandoverBookImported` event, the book goes on from it (R-OP-3), and a rebuild gives the rows back."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from huifang_dispatch.domain import handover_book as hb
from huifang_dispatch.domain.errors import HandoverRefused
from huifang_dispatch.domain.events import BookKey, HandoverBookImported
from huifang_dispatch.domain.handover import OpenItem
from huifang_dispatch.service_layer.handing_over import Handovers
from huifang_dispatch.service_layer.rebuild import rebuild_state
from huifang_infra.auth import Principal, Role
from huifang_infra.db import Pool, create_pool, transaction
from huifang_infra.migrations import MigrationSource, infra_migrations, migrate, service_migrations
from huifang_infra.repository import Cause

from tests.dispatch.integration.test_rebuild import row_hashes
from tests.dispatch.support import T0, FakeClock

pytestmark = pytest.mark.integration

BEFORE_STREAMS = 5
BOOK = BookKey("G1", "E1", "main")


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
            """INSERT INTO staff (staff_id, group_id, estate_id, name, role) VALUES
                   ('li', 'G1', 'E1', 'li', 'receptionist'), ('wang', 'G1', 'E1', 'wang', 'receptionist')"""
        )
        await conn.execute(
            """INSERT INTO handovers (handover_id, group_id, estate_id, service_center, duty_date, outgoing_id,
                                      incoming_id, notes, status, outgoing_signed_at, incoming_signed_at)
               VALUES ('h1', 'G1', 'E1', 'main', $1, 'li', 'wang', '平安', 'completed', $2, $2),
                      ('h2', 'G1', 'E1', 'main', $1, 'wang', 'li', NULL, 'awaiting_incoming', $3, NULL)""",
            date(2026, 3, 4),
            T0 - timedelta(hours=20),
            T0,
        )
        await conn.execute(
            """INSERT INTO handover_items (item_id, group_id, estate_id, service_center, title, important, status,
                                           opened_by, opened_at, opened_in, closed_by, closed_at)
               VALUES ('i1', 'G1', 'E1', 'main', '3栋电梯待修', false, 'open', 'li', $1, 'h1', NULL, NULL),
                      ('i2', 'G1', 'E1', 'main', '钥匙', false, 'closed', 'li', $1, 'h1', 'wang', $2),
                      ('i3', 'G1', 'E1', 'main', '噪音投诉', true, 'escalated', 'wang', $2, NULL, NULL, NULL)""",
            T0 - timedelta(hours=20),
            T0 - timedelta(hours=2),
        )
        await conn.execute(
            "UPDATE handover_items SET escalated_to = 'zhang', escalated_by = 'wang' WHERE item_id = 'i3'"
        )
        await conn.execute(
            """INSERT INTO handover_carried VALUES ('h1', 'i1', 'open'), ('h1', 'i2', 'open'),
                                                   ('h2', 'i1', 'open'), ('h2', 'i3', 'escalated')"""
        )
    yield pool
    await pool.close()


async def test_a_legacy_book_is_imported_whole_goes_on_and_rebuilds_to_the_same_rows(legacy_pool: Pool) -> None:
    applied = await migrate(legacy_pool, [infra_migrations(), service_migrations("dispatch")])
    assert "dispatch/0007_handover_streams.sql" in applied
    async with legacy_pool.acquire() as conn:
        before = await row_hashes(conn)  # as the upgrade left them: its events decided nothing new

    handovers = Handovers(FakeClock())
    async with legacy_pool.acquire() as conn:
        ((_stored, event),) = await handovers.books.history(conn, hb.stream_id(BOOK))
        state, _version = await handovers.books.load(conn, hb.stream_id(BOOK))
    assert isinstance(event, HandoverBookImported)
    assert [i.item_id for i in event.items] == ["i1", "i2", "i3"] and len(event.carried) == 4
    assert state.open_items == (OpenItem("i1", False, "open"), OpenItem("i3", True, "escalated"))

    async with transaction(legacy_pool) as conn:
        assert (await rebuild_state(conn)).events == 1
        assert await row_hashes(conn) == before

    # The book goes on: li signs the imported h2 as its incoming person; a new important item then blocks.
    li = Principal(sub="li", role=Role.receptionist, group_id="G1", estate_ids=frozenset({"E1"}))
    await handovers.take_over(legacy_pool, li, "h2")
    cause = Cause(group_id="G1", estate_id="E1", actor="li")
    urgent = hb.OpenHandoverItem(BOOK, hb.NewItem("i4", "消防报警", important=True), "li", T0)
    await handovers.books.run(legacy_pool, hb.stream_id(BOOK), urgent, cause)
    with pytest.raises(HandoverRefused) as refused:
        command = hb.HandOver(BOOK, "h3", "li", "wang", True, date(2026, 3, 5), None, T0)
        await handovers.books.run(legacy_pool, hb.stream_id(BOOK), command, cause)
    assert refused.value.item_ids == ["i4"]
    async with legacy_pool.acquire() as conn:
        h2 = await conn.fetchrow("SELECT status, incoming_signed_at FROM handovers WHERE handover_id = 'h2'")
        seqs = await conn.fetch("SELECT item_id FROM handover_items ORDER BY seq")
    assert (h2["status"], h2["incoming_signed_at"]) == ("completed", T0)
    assert [r["item_id"] for r in seqs] == ["i1", "i2", "i3", "i4"]
