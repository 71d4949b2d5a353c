"""Upgrade without loss (issue 17 §8): notices written before their streams existed become streams.

The database is made by the schema of before (infra's migrations and reporting's 0001–0003) with rows
as that code wrote them; migration 0004 turns each notice into one `reporting.ActionImported` event
carrying its row, which the service's codec reads back, a rebuild reproduces, and later commands
continue from.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
import pytest
from huifang_contracts.enums import Metric
from huifang_infra.auth import Role
from huifang_infra.db import create_pool
from huifang_infra.eventstore import EventStore
from huifang_infra.migrations import MigrationSource, infra_migrations, migrate, service_migrations
from huifang_reporting.bootstrap import create_app
from huifang_reporting.domain import corrective_action as ca
from huifang_reporting.domain.events import ActionImported, CorrectiveAction, Notice, Verification
from huifang_reporting.service_layer.corrective_actions import action_codec, corrective_action

from tests.reporting.integration.test_action_streams import rebuild, row_hashes
from tests.reporting.support import FakeClock, reporting_settings
from tests.support.service import bearer, running_service

pytestmark = pytest.mark.integration

QUALITY = bearer(Role.quality_dept, "G1", ["*"], sub="qd-1")
ISSUED = datetime(2026, 3, 6, 0, 0, tzinfo=UTC)
VERIFIED = datetime(2026, 3, 18, 2, 0, tzinfo=UTC)

# Two notices as `insert_action` and `record_verification` wrote them before the streams.
_OLD_ROWS = """
INSERT INTO corrective_actions (action_id, group_id, estate_id, period, metric, target_percent, actual_percent,
                                numerator, denominator, deadline, issued_at)
VALUES ('a-open', 'G1', 'E1', '2026-02', 'overall_satisfaction', 95, 66.67, 2, 3, $1 + interval '15 days', $1),
       ('a-done', 'G1', 'E2', '2026-02', 'callback_satisfaction', 90, 50, 1, 2, $1 + interval '15 days', $1);
"""


def _before_streams(tmp_path: Path) -> MigrationSource:
    """Reporting's migrations as they were before 0004 (same files, so the checksums match later)."""
    folder = tmp_path / "reporting-migrations"
    folder.mkdir()
    for sql in sorted(service_migrations("reporting").folder.glob("*.sql")):
        if int(sql.name[:4]) < 4:
            shutil.copy(sql, folder / sql.name)
    return MigrationSource("reporting", folder)


async def test_rows_of_an_existing_deployment_become_one_imported_event_each_and_stay_usable(
    database_url: str, kafka_bootstrap: str, unique: str, tmp_path: Path
) -> None:
    pool = await create_pool(database_url, min_size=1, max_size=2)
    try:
        await migrate(pool, [infra_migrations(), _before_streams(tmp_path)])
        async with pool.acquire() as conn:
            await conn.execute(_OLD_ROWS.replace("$1", f"'{ISSUED.isoformat()}'::timestamptz"))
            await conn.execute(
                """UPDATE corrective_actions SET verified_at = $1, verified_by = 'qd-1', effective = false,
                          verified_percent = 55.5, note = '未见改善' WHERE action_id = 'a-done'""",
                VERIFIED,
            )
            old = await row_hashes(conn, ("corrective_actions",))

        applied = await migrate(pool, [infra_migrations(), service_migrations("reporting")])
        assert applied == [
            "reporting/0004_corrective_action_streams.sql",
            "reporting/0005_target_and_closed_month_streams.sql",  # no targets nor closed months here
        ]

        async with pool.acquire() as conn:
            store, codec = EventStore(), action_codec()
            streams = {}
            for action_id in ("a-open", "a-done"):
                stored = await store.load(conn, ca.stream_id(action_id))
                assert [(e.event_type, e.stream_version, e.estate_id) for e in stored] == [
                    (ActionImported.TYPE, 1, "E1" if action_id == "a-open" else "E2")
                ]
                streams[action_id] = corrective_action.fold(codec.decode(e.event_type, e.data) for e in stored)
            assert streams["a-done"] == CorrectiveAction(
                notice=Notice(
                    action_id="a-done",
                    group_id="G1",
                    estate_id="E2",
                    period="2026-02",
                    metric=Metric.CALLBACK_SATISFACTION,
                    target_percent=90.0,
                    actual_percent=50.0,
                    numerator=1,
                    denominator=2,
                    deadline=datetime(2026, 3, 21, tzinfo=UTC),
                    issued_at=ISSUED,
                ),
                verification=Verification("qd-1", VERIFIED, False, 55.5, "未见改善"),
            )
            assert streams["a-open"].verification is None and streams["a-open"].notice is not None
            assert streams["a-open"].notice.actual_percent == 66.67

            # the projection of the imported streams is the rows of before
            assert await rebuild(conn) == 2
            assert await row_hashes(conn, ("corrective_actions",)) == old
            # running the migrations again (a restart) imports nothing twice
            assert await migrate(pool, [infra_migrations(), service_migrations("reporting")]) == []
            assert await conn.fetchval("SELECT count(*) FROM events") == 2
    finally:
        await pool.close()

    # the upgraded service continues each notice from its imported state
    clock = FakeClock(datetime(2026, 3, 20, tzinfo=UTC))
    async with running_service(create_app(reporting_settings(database_url, kafka_bootstrap, unique), clock)) as client:
        done = await client.post("/corrective-actions/a-done/verification", json={"effective": True}, headers=QUALITY)
        assert done.status_code == 409
        ok = await client.post("/corrective-actions/a-open/verification", json={"effective": True}, headers=QUALITY)
        assert ok.status_code == 200, ok.text
        assert ok.json()["verified_at"] == "2026-03-20T00:00:00+00:00"
    after = await asyncpg.connect(database_url)
    try:
        assert await EventStore().version(after, ca.stream_id("a-open")) == 2
    finally:
        await after.close()
