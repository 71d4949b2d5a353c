"""Issue 17 §3, §8: the callbacks table is a fold of the callback streams — emptied and rebuilt from the
event store alone it is the same, row for row, and the API answers the same. An old deployment's rows
become `Imported` streams by a migration, and rebuild to the same rows too."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from huifang_callback.bootstrap import state_parts
from huifang_callback.config import CallbackSettings
from huifang_callback.domain.policy import PolicyBody
from huifang_callback.domain.presets import full
from huifang_infra.auth import Role
from huifang_infra.clock import SettableClock
from huifang_infra.db import connect
from huifang_infra.eventstore import EventStore
from huifang_infra.migrations import infra_migrations, migrate, service_migrations
from huifang_infra.state_rebuild import rebuild_state

from tests.callback.support import (
    GROUP,
    callback_app,
    callback_attempted,
    callback_completed,
    complaint_resolved,
    estate_registered,
    feed,
    fetch,
    order_closed,
    published_at_least,
    rows_at_least,
)
from tests.support.backbone import wait_for
from tests.support.old_schema import migrations_before
from tests.support.row_hashes import table_hash
from tests.support.service import bearer, running_service

pytestmark = pytest.mark.integration

CLOSED = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # Mon 2 March, 10:00 Beijing
DRAW_MARCH = datetime(2026, 3, 30, 1, 0, 1, tzinfo=UTC)
MANAGER = bearer(Role.office_manager, GROUP, ["*"])
TABLES = {
    "callbacks": "callback_id",
    "callback_skips": "callback_id",
    "samples": "sample_id",
    "policies": "policy_id, version",
}


async def _hashes(database_url: str) -> dict[str, tuple[int, str]]:
    conn = await connect(database_url)
    try:
        return {table: await table_hash(conn, table, key) for table, key in TABLES.items()}
    finally:
        await conn.close()


async def _rebuild(database_url: str) -> int:
    conn = await connect(database_url)
    try:
        return (await rebuild_state(conn, state_parts(CallbackSettings(database_url=database_url)))).events
    finally:
        await conn.close()


async def test_rebuilding_the_callbacks_from_their_streams_gives_the_same_rows_and_answers(
    database_url: str, kafka_bootstrap: str, unique: str
) -> None:
    clock = SettableClock(CLOSED + timedelta(minutes=1))
    app = callback_app(database_url, kafka_bootstrap, unique, clock)
    runtime = app.state.runtime
    async with running_service(app) as client:
        await feed(runtime, kafka_bootstrap, [estate_registered("E1", "full"), estate_registered("E2")])
        await wait_for(lambda: rows_at_least(database_url, "SELECT 1 FROM estates", 2), 60)
        body = full() | {"fatigue": {"max_contacts": 1, "days": 30}}
        policy = {"estate_id": "E1", "body": body}
        assert (await client.post("/policies", json=policy, headers=MANAGER)).status_code == 201
        # E1: two repairs for one household (the second skipped for fatigue), a complaint answered
        # dissatisfied (reopened, R-CB-10); E2 (tianxiacheng): March's orders, sampled at month end.
        events = [order_closed("WO-1", CLOSED, unit="U-7"), order_closed("WO-2", CLOSED, unit="U-7")]
        events += [complaint_resolved("C-1", CLOSED)]
        events += [order_closed(f"WO-E2-{i}", CLOSED + timedelta(minutes=i), estate="E2") for i in range(12)]
        await feed(runtime, kafka_bootstrap, events)
        await wait_for(lambda: rows_at_least(database_url, "SELECT 1 FROM closed_orders", 14), 60)
        scheduled = await wait_for(lambda: published_at_least(database_url, "callback.CallbackScheduled", 2), 60)
        by_source = {e.payload["source_id"]: e.payload["callback_id"] for e in scheduled}
        await feed(runtime, kafka_bootstrap, [callback_attempted(by_source["WO-1"], 2, CLOSED + timedelta(hours=2))])
        await feed(runtime, kafka_bootstrap, [callback_completed(by_source["C-1"], CLOSED, satisfied=False)])
        await wait_for(lambda: published_at_least(database_url, "callback.ComplaintReopened", 1), 60)
        clock.set(DRAW_MARCH)  # past the repairs' deadlines, and the month-end draw
        await wait_for(lambda: published_at_least(database_url, "callback.SampleDrawn", 1), 60)
        await wait_for(lambda: rows_at_least(database_url, "SELECT 1 FROM callbacks WHERE state = 'overdue'", 1), 60)
        await wait_for(lambda: rows_at_least(database_url, "SELECT 1 FROM callbacks WHERE sampled", 1), 60)
        before = await _hashes(database_url)
        listed = (await client.get("/callbacks", headers=MANAGER)).json()
        one = (await client.get(f"/callbacks/{by_source['WO-1']}", headers=MANAGER)).json()
        folded = await _rebuild(database_url)
        after = await _hashes(database_url)
        listed_after = (await client.get("/callbacks", headers=MANAGER)).json()
        one_after = (await client.get(f"/callbacks/{by_source['WO-1']}", headers=MANAGER)).json()
    states = {r["state"] for r in await fetch(database_url, "SELECT state FROM callbacks")}
    assert {"overdue", "completed"} <= states and before["callback_skips"][0] == 1  # the story happened
    assert folded > before["callbacks"][0]  # more events than rows: the streams hold the transitions
    assert after == before
    assert (listed_after, one_after) == (listed, one)


async def test_an_old_deployments_rows_become_imported_streams_that_rebuild_to_the_same_rows(
    database_url: str, tmp_path: Path
) -> None:
    # A database as the schema stood before streams: the service's first two migrations only.
    conn = await connect(database_url)
    try:
        await migrate(conn, [infra_migrations(), migrations_before("callback", 3, tmp_path)])
        await conn.execute(
            """INSERT INTO callbacks (callback_id, group_id, estate_id, source_type, source_id, kind, round, rule_id,
                   policy_id, policy_version, window_start, due_at, deadline, method, caller_role, escalation,
                   reopen_cap, max_attempts, mandatory, sampled, unit_id, department, state, satisfied,
                   attempts_used, created_at, due_emitted_at, closed_at, worker_id, rating_scale)
               VALUES ('cb-old-1', 'G1', 'E1', 'intake.ComplaintResolved', 'C-9', 'complaint', 2, 'complaint.resolved',
                   'P1', 3, $1, $1, $2, 'phone', 'service_center_staff', '["office_manager"]', 3, 3, true, false,
                   'U-1', 'engineering', 'completed', false, 2, $1, $1, $2, NULL, NULL),
                      ('cb-old-2', 'G1', 'E1', 'intake.OrderClosed', 'WO-9', 'repair', 1, 'repair.all',
                   'P1', 3, $1, $1, $2, 'door', 'department_head', '[]', 3, 3, false, true,
                   'U-2', 'engineering', 'due', NULL, 0, $1, $1, NULL, 'W-1', 'three_level')""",
            CLOSED,
            CLOSED + timedelta(days=3),
        )
        await conn.execute(
            """INSERT INTO samples (sample_id, group_id, estate_id, month, rule_id, request_kind, policy_id,
                   policy_version, seed, algorithm, population, chosen, door_count, excluded, drawn_at)
               VALUES ('smp-E1-2026-02-repair.monthly-sample', 'G1', 'E1', '2026-02', 'repair.monthly-sample',
                   'repair', 'P1', 3, 'a1b2', 'sha256-rank-v1', '["WO-1", "WO-2", "WO-3"]', '["WO-2"]', 1,
                   '["WO-4"]', $1)""",
            CLOSED,
        )
        for version in (1, 2):
            await conn.execute(
                """INSERT INTO policies (policy_id, version, group_id, estate_id, name, body, changed_by, changed_at)
                   VALUES ('pol-G1-group', $1, 'G1', NULL, '集团回访策略', $2, 'admin', $3)""",
                version,
                PolicyBody.model_validate(full()).model_dump(mode="json"),  # as the service wrote its rows
                CLOSED + timedelta(days=version),
            )
        await migrate(conn, [infra_migrations(), service_migrations("callback")])  # the upgrade
        streams = [await EventStore().load(conn, f"callback-cb-old-{i}") for i in (1, 2)]
        streams += [await EventStore().load(conn, "sample-smp-E1-2026-02-repair.monthly-sample")]
        streams += [await EventStore().load(conn, "policy-pol-G1-group")]
        upgraded = {t: await table_hash(conn, t, k) for t, k in TABLES.items()}
        old_scale = await conn.fetchval("SELECT rating_scale FROM callbacks WHERE callback_id = 'cb-old-1'")
    finally:
        await conn.close()
    assert [[e.event_type for e in s] for s in streams] == [
        ["callback.Imported"],
        ["callback.Imported"],
        ["sample.Drawn"],
        ["policy.VersionAdopted", "policy.VersionAdopted"],
    ]
    assert old_scale == "four_level"  # R-SV-3: the form's four levels, named now on the row and the stream
    assert await _rebuild(database_url) == 5
    assert (upgraded["samples"][0], upgraded["policies"][0]) == (1, 2)
    assert await _hashes(database_url) == upgraded
