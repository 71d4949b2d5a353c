"""Upgrade without loss (issue 17 §8): targets and month closes of before become streams (R-SV-5).

A database of the schema of before (reporting's 0001–0004) holds targets and a closed month as that code
wrote them; migration 0005 turns each row into one `reporting.TargetImported` or
`reporting.ClosedMonthImported` event, which the codecs read back, a rebuild reproduces row for row, and
the upgraded service continues: a target set again appends to its stream, the month closed again decides
nothing.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
import pytest
from huifang_contracts.enums import Metric, SurveyDimension
from huifang_infra.auth import Role
from huifang_infra.db import create_pool
from huifang_infra.eventstore import EventStore
from huifang_infra.migrations import MigrationSource, infra_migrations, migrate, service_migrations
from huifang_reporting.bootstrap import create_app
from huifang_reporting.domain import closed_month as cm
from huifang_reporting.domain import kpi_target as kt
from huifang_reporting.domain.events import (
    ClosedMonthImported,
    KpiTarget,
    MonthClosed,
    MonthClosing,
    TargetImported,
    TargetSet,
)
from huifang_reporting.service_layer.owned_streams import month_codec, target_codec

from tests.reporting.integration.test_action_streams import rebuild, row_hashes
from tests.reporting.support import FakeClock, reporting_settings
from tests.support.service import bearer, running_service

pytestmark = pytest.mark.integration

QUALITY = bearer(Role.quality_dept, "G1", ["*"], sub="qd-1")
SET_AT = datetime(2026, 1, 10, 2, 0, tzinfo=UTC)
CLOSED_AT = datetime(2026, 2, 5, 0, 0, 30, tzinfo=UTC)
STREAMS = (
    kt.stream_id("G1", "*", Metric.COVERAGE),
    kt.stream_id("G1", "E1", Metric.CALLBACK_SATISFACTION),
    kt.stream_id("G1", "E1", Metric.OVERALL_SATISFACTION, SurveyDimension.CLEANING),
)

# as `set_target` and `mark_closed` wrote them before the streams (the dimension column was never set
# by that code, but the schema allows it)
_OLD_ROWS = """
INSERT INTO targets (group_id, estate_id, metric, dimension, target_percent, set_by, set_at)
VALUES ('G1', '*', 'coverage', '', 80, 'admin', $1),
       ('G1', 'E1', 'callback_satisfaction', '', 90.5, 'qd-1', $1 + interval '1 day'),
       ('G1', 'E1', 'overall_satisfaction', 'cleaning', 97.25, 'qd-1', $1 + interval '2 days');
INSERT INTO closed_months (group_id, estate_id, month, closed_at, closed_by)
VALUES ('G1', 'E1', '2026-01', $2, 'system'), ('G1', 'E2', '2026-01', $2, 'qd-1');
"""


def _before_streams(tmp_path: Path) -> MigrationSource:
    folder = tmp_path / "reporting-migrations"
    folder.mkdir()
    for sql in sorted(service_migrations("reporting").folder.glob("*.sql")):
        if int(sql.name[:4]) < 5:
            shutil.copy(sql, folder / sql.name)
    return MigrationSource("reporting", folder)


async def test_r_sv_5_targets_and_closed_months_of_before_become_one_imported_event_each_and_continue(
    database_url: str, kafka_bootstrap: str, unique: str, tmp_path: Path
) -> None:
    pool = await create_pool(database_url, min_size=1, max_size=2)
    try:
        await migrate(pool, [infra_migrations(), _before_streams(tmp_path)])
        async with pool.acquire() as conn:
            sql = _OLD_ROWS.replace("$1", f"'{SET_AT.isoformat()}'::timestamptz")
            await conn.execute(sql.replace("$2", f"'{CLOSED_AT.isoformat()}'::timestamptz"))
            old = await row_hashes(conn, ("targets", "closed_months"))

        applied = await migrate(pool, [infra_migrations(), service_migrations("reporting")])
        assert applied == ["reporting/0005_target_and_closed_month_streams.sql"]

        async with pool.acquire() as conn:
            store, targets, months = EventStore(), target_codec(), month_codec()
            imported = []
            for stream in STREAMS:
                (stored,) = await store.load(conn, stream)
                imported.append(targets.decode(stored.event_type, stored.data))
            assert imported[2] == TargetImported(
                KpiTarget(
                    TargetSet(
                        "G1", "E1", Metric.OVERALL_SATISFACTION, 97.25, "qd-1", datetime(2026, 1, 12, 2, tzinfo=UTC),
                        SurveyDimension.CLEANING,
                    )
                )
            )  # fmt: skip
            (group_wide,) = await store.load(conn, STREAMS[0])
            assert group_wide.estate_id is None  # a group's target belongs to no estate
            (closed,) = await store.load(conn, cm.stream_id("G1", "E2", "2026-01"))
            assert months.decode(closed.event_type, closed.data) == ClosedMonthImported(
                MonthClosing(MonthClosed("G1", "E2", "2026-01", CLOSED_AT, "qd-1"))
            )

            assert await rebuild(conn) == 3 + 2
            assert await row_hashes(conn, ("targets", "closed_months")) == old
            assert await migrate(pool, [infra_migrations(), service_migrations("reporting")]) == []
    finally:
        await pool.close()

    clock = FakeClock(datetime(2026, 3, 20, tzinfo=UTC))
    app = create_app(reporting_settings(database_url, kafka_bootstrap, unique), clock)
    async with running_service(app) as client:
        found = (await client.get("/targets", params={"estate_id": "E1"}, headers=QUALITY)).json()["targets"]
        assert (found["coverage"], found["callback_satisfaction"]) == (80.0, 90.5)  # the group's, the estate's
        body = {"estate_id": "E1", "metric": "callback_satisfaction", "target_percent": 92}
        assert (await client.put("/targets", json=body, headers=QUALITY)).status_code == 200
        again = await client.post("/months/2026-01/close", json={"estate_id": "E1"}, headers=QUALITY)
        assert again.status_code == 200 and again.json()["issued"] == []
    after = await asyncpg.connect(database_url)
    try:
        target_stream = await EventStore().load(after, STREAMS[1])
        month_stream = await EventStore().load(after, cm.stream_id("G1", "E1", "2026-01"))
        row = await after.fetchrow("SELECT target_percent, set_by, set_at FROM targets WHERE estate_id = 'E1' "
                                   "AND metric = 'callback_satisfaction'")  # fmt: skip
    finally:
        await after.close()
    assert row is not None
    assert [e.event_type for e in target_stream] == [TargetImported.TYPE, TargetSet.TYPE]
    assert (float(row["target_percent"]), row["set_by"], row["set_at"]) == (92.0, "qd-1", clock.now)
    assert [e.event_type for e in month_stream] == [ClosedMonthImported.TYPE]  # closed once, stays closed
