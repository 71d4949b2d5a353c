"""Corrective actions on their streams (issue 17): the flow, the rebuild from the store, the race.

A target is set and a month closes below it, the estate acknowledges a notice, the quality department
verifies it; every step is an event of its stream (`target-…`, `closed-month-…`, `corrective-action-<id>`)
and `targets`, `closed_months` and `corrective_actions` are their projections, so
emptying the tables and folding the streams again (the shared `rebuild_state` over `bootstrap.state_parts`,
what `huifang rebuild state --service reporting` runs) gives the same rows and answers.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import pytest
from huifang_contracts.enums import Metric
from huifang_infra import state_rebuild
from huifang_infra.auth import Role
from huifang_infra.db import Connection, Pool, create_pool, transaction
from huifang_infra.eventstore import EventStore
from huifang_infra.migrations import infra_migrations, migrate, service_migrations
from huifang_infra.outbox import Outbox
from huifang_infra.repository import Cause, Command
from huifang_reporting.bootstrap import create_app, state_parts
from huifang_reporting.config import ReportingSettings
from huifang_reporting.domain import closed_month as cm
from huifang_reporting.domain import corrective_action as ca
from huifang_reporting.domain.events import ActionAcknowledged, ActionRequired, ActionVerified, MonthClosed, Notice
from huifang_reporting.service_layer.closing import in_transaction
from huifang_reporting.service_layer.corrective_actions import action_repository

from tests.reporting import scenario
from tests.reporting.support import FakeClock, feed, projected, reporting_settings
from tests.support.backbone import wait_for
from tests.support.service import bearer, running_service

pytestmark = pytest.mark.integration

QUALITY = bearer(Role.quality_dept, "G1", ["*"], sub="qd-1")
MANAGER_E1 = bearer(Role.office_manager, "G1", ["E1"], sub="lt-manager")
MANAGER_E2 = bearer(Role.office_manager, "G1", ["E2"], sub="e2-manager")
STAFF_E1 = bearer(Role.service_center_staff, "G1", ["E1"])

STATE_TABLES = {
    "corrective_actions": "action_id",
    "corrective_action_acknowledgements": "action_id",
    "targets": "group_id, estate_id, metric, dimension",
    "closed_months": "group_id, estate_id, month",
}


async def row_hashes(conn: Connection, tables: tuple[str, ...] = tuple(STATE_TABLES)) -> dict[str, list[str]]:
    """Each state table's rows, hashed in key order: equal hashes, equal contents."""
    return {
        table: [r[0] for r in await conn.fetch(f"SELECT md5(t::text) FROM {table} t ORDER BY {STATE_TABLES[table]}")]
        for table in tables
    }


async def rebuild(conn: Connection) -> int:
    """`huifang rebuild state --service reporting` on this connection: the events folded."""
    return (await state_rebuild.rebuild_state(conn, state_parts(ReportingSettings()))).events


async def test_r_sv_5_notices_acknowledged_and_verified_rebuild_from_their_streams_to_the_same_rows(
    database_url: str, kafka_bootstrap: str, unique: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(state_rebuild, "EVENTS_PER_PAGE", 2)  # small pages: the paging is exercised
    clock = FakeClock(scenario.at("2026-02-20T00:00:00"))
    app = create_app(reporting_settings(database_url, kafka_bootstrap, unique), clock)
    runtime = app.state.runtime
    events = scenario.events()
    async with running_service(app) as client:
        await feed(runtime, kafka_bootstrap, events)
        await projected(runtime, len(events))
        put = await client.put(
            "/targets",
            json={"estate_id": "E1", "metric": "callback_satisfaction", "target_percent": 90},
            headers=QUALITY,
        )
        assert put.status_code == 200, put.text
        clock.now = scenario.at("2026-03-06T00:00:00")  # the loop closes February

        async def two_notices() -> bool:
            return len((await client.get("/corrective-actions", headers=QUALITY)).json()["actions"]) == 2

        assert await wait_for(two_notices, timeout_s=30)
        # closing again on request: the streams exist, nothing more is decided
        again = await client.post("/months/2026-02/close", json={"estate_id": "E1"}, headers=QUALITY)
        assert again.status_code == 200 and again.json()["issued"] == []
        actions = {a["metric"]: a for a in (await client.get("/corrective-actions", headers=QUALITY)).json()["actions"]}
        overall, callbacks = actions["overall_satisfaction"], actions["callback_satisfaction"]

        # the estate acknowledges both notices; a second acknowledgement, a stranger, a caller are refused
        clock.now = scenario.at("2026-03-07T02:00:00")
        for action in (overall, callbacks):
            url = f"/corrective-actions/{action['action_id']}/acknowledgement"
            ack = await client.post(url, json={"note": "保洁班组整改"}, headers=MANAGER_E1)
            assert ack.status_code == 200, ack.text
            assert ack.json()["acknowledgement"] == {
                "acknowledged_by": "lt-manager",
                "acknowledged_at": "2026-03-07T02:00:00+00:00",
                "note": "保洁班组整改",
            }
        url = f"/corrective-actions/{overall['action_id']}/acknowledgement"
        assert (await client.post(url, json={}, headers=MANAGER_E1)).status_code == 409
        assert (await client.post(url, json={}, headers=MANAGER_E2)).status_code == 404
        assert (await client.post(url, json={}, headers=STAFF_E1)).status_code == 403
        unknown = await client.post("/corrective-actions/nope/acknowledgement", json={}, headers=QUALITY)
        assert unknown.status_code == 404

        clock.now = scenario.at("2026-03-18T02:00:00")
        verify = f"/corrective-actions/{overall['action_id']}/verification"
        done = await client.post(verify, json={"effective": True, "actual_percent": 96.0}, headers=QUALITY)
        assert done.status_code == 200, done.text
        assert (done.json()["verified_by"], done.json()["verified_at"]) == ("qd-1", "2026-03-18T02:00:00+00:00")
        assert (await client.post(verify, json={"effective": False}, headers=QUALITY)).status_code == 409

        conn = await asyncpg.connect(database_url)
        try:
            stream = await EventStore().load(conn, ca.stream_id(overall["action_id"]))
            assert [e.event_type for e in stream] == [
                ActionRequired.TYPE,
                ActionAcknowledged.TYPE,
                ActionVerified.TYPE,
            ]
            assert [e.metadata.get("actor") for e in stream] == ["system", "lt-manager", "qd-1"]
            published = await conn.fetch("SELECT event_type, count(*) AS n FROM outbox GROUP BY 1 ORDER BY 1")
            assert [(r["event_type"], r["n"]) for r in published] == [
                ("reporting.CorrectiveActionRequired", 2),
                ("reporting.CorrectiveActionVerified", 1),
            ]
            closed = await EventStore().load(conn, cm.stream_id("G1", "E1", "2026-02"))
            assert [(e.event_type, e.metadata.get("actor")) for e in closed] == [(MonthClosed.TYPE, "system")]
            before = await row_hashes(conn)
            months_closed = len(before["closed_months"])
            assert [len(rows) for rows in before.values()] == [2, 2, 1, months_closed] and months_closed >= 2
            answer_before = (await client.get("/corrective-actions", headers=QUALITY)).json()
            targets_before = (await client.get("/targets", params={"estate_id": "E1"}, headers=QUALITY)).json()

            # the tables drift (a hand edit, a lost row); the rebuild restores them from the streams alone
            await conn.execute("UPDATE corrective_actions SET note = 'edited by hand', verified_at = NULL")
            await conn.execute(
                "DELETE FROM corrective_action_acknowledgements WHERE action_id = $1", overall["action_id"]
            )
            await conn.execute("UPDATE targets SET target_percent = 50")
            await conn.execute("DELETE FROM closed_months WHERE estate_id = 'E2'")
            assert await row_hashes(conn) != before
            read = await rebuild(conn)
            # 2 required + 2 acknowledged + 1 verified, the target set once, each month closed once
            assert read == 5 + 1 + months_closed
            assert await row_hashes(conn) == before
        finally:
            await conn.close()
        assert (await client.get("/corrective-actions", headers=QUALITY)).json() == answer_before
        assert (await client.get("/targets", params={"estate_id": "E1"}, headers=QUALITY)).json() == targets_before


@pytest.fixture
async def pool(database_url: str) -> AsyncIterator[Pool]:
    pool = await create_pool(database_url, min_size=1, max_size=4)
    await migrate(pool, [infra_migrations(), service_migrations("reporting")])
    yield pool
    await pool.close()


def _notice(issued_at: datetime) -> Notice:
    return Notice(
        action_id="a-race",
        group_id="G1",
        estate_id="E1",
        period="2026-02",
        metric=Metric.OVERALL_SATISFACTION,
        target_percent=95.0,
        actual_percent=80.0,
        numerator=4,
        denominator=5,
        deadline=issued_at + timedelta(days=15),
        issued_at=issued_at,
        issued_by="system",
    )


async def test_r_sv_5_two_closers_requiring_one_notice_at_once_issue_it_once(pool: Pool) -> None:
    """Two instances close the month together: the later append loses, re-runs, and decides nothing."""
    repo = action_repository(Outbox(lambda _type: "reporting.actions"))
    now = datetime(2026, 3, 6, tzinfo=UTC)
    command: Command[ca.ActionCommand] = Command(
        ca.stream_id("a-race"), ca.RequireAction(_notice(now)), Cause("G1", "E1", actor="system")
    )
    attempts = 0

    async def second(conn: Any) -> Any:
        nonlocal attempts
        attempts += 1
        return await repo.execute_many(conn, [command])

    async with pool.acquire() as first:
        tx = first.transaction()
        await tx.start()
        (won,) = await repo.execute_many(first, [command])
        racing = asyncio.ensure_future(in_transaction(pool, second))
        await asyncio.sleep(0.5)  # the second writer is now waiting on the first one's stream row
        assert not racing.done()
        await tx.commit()
        (lost,) = await racing
    assert len(won.events) == 1 and lost.events == () and attempts == 2
    async with transaction(pool) as conn:
        assert await conn.fetchval("SELECT count(*) FROM corrective_actions") == 1
        assert await conn.fetchval("SELECT count(*) FROM outbox") == 1
        assert await EventStore().version(conn, ca.stream_id("a-race")) == 1
