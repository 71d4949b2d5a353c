"""The roll-up kept at commit equals a recount from scratch, and its quarters and years add up.

Each change of a counted fact marks its months; the marks are recounted once when the poll's
transaction commits (migration 0003). Whatever the consumer's polls looked like, the rows must be
exactly what recounting every estate-month from the facts gives, redelivery changes nothing, and
the quarter and year rows the overview reads are the sums of their months.
"""

from __future__ import annotations

from typing import Any

import asyncpg
import pytest
from huifang_reporting.adapters.rollup import recount_everything
from huifang_reporting.bootstrap import create_app

from tests.reporting import scenario
from tests.reporting.support import FakeClock, feed, projected, reporting_settings
from tests.support.service import running_service

pytestmark = pytest.mark.integration

_ROLLUPS = ("estate_month_kpis", "estate_quarter_kpis", "estate_year_kpis")


async def _rows(conn: asyncpg.Connection) -> dict[str, list[tuple[Any, ...]]]:
    return {t: [tuple(r) for r in await conn.fetch(f"SELECT * FROM {t} ORDER BY 1, 2, 3")] for t in _ROLLUPS}


async def test_the_kept_roll_up_is_a_recount_and_redelivery_changes_nothing(
    database_url: str, kafka_bootstrap: str, unique: str
) -> None:
    clock = FakeClock(scenario.at("2026-02-20T00:00:00"))
    app = create_app(reporting_settings(database_url, kafka_bootstrap, unique), clock)
    runtime = app.state.runtime
    events = [*scenario.events(), scenario.estate("E3", "Europe/London")]
    async with running_service(app):
        await feed(runtime, kafka_bootstrap, events)
        await projected(runtime, len(events))
        # the same events again (same ids): the inbox skips them, the figures stay
        await feed(runtime, kafka_bootstrap, events[:12])
        await projected(runtime, len(events) + 12)
        assert runtime.consumer.duplicates == 12

    conn = await asyncpg.connect(database_url)
    try:
        kept = await _rows(conn)
        assert await conn.fetchval("SELECT count(*) FROM pending_months") == 0  # every mark was recounted
        # R-CB-11: cb4's two attempts, possibly in one run, both counted
        assert await conn.fetchval("SELECT attempts FROM callbacks WHERE callback_id = 'cb4'") == 2

        month = {(r[1], r[2]): r for r in kept["estate_month_kpis"]}
        # E1 February by hand (scenario.py): required 4, done 3, completed 3, satisfied 2, on time 2, failed 1
        assert month[("E1", "2026-02")][3:9] == (4, 3, 3, 2, 2, 1)
        assert month[("E1", "2026-01")][5:7] == (1, 1)  # cb5's late completion counts in January
        assert ("E3", "2026-02") in month and ("E3", "2026-03") not in month  # London: 28 Feb 16:30 local

        # quarters and years are the sums of their months
        q1 = [r for r in kept["estate_month_kpis"] if r[1] == "E1" and r[2] in ("2026-01", "2026-02", "2026-03")]
        quarter = {(r[1], r[2]): r for r in kept["estate_quarter_kpis"]}
        assert quarter[("E1", "2026-Q1")][3:] == tuple(map(sum, zip(*(r[3:] for r in q1), strict=True)))
        year = {(r[1], r[2]): r for r in kept["estate_year_kpis"]}
        assert year[("E1", "2026")][3:] == quarter[("E1", "2026-Q1")][3:]

        async with conn.transaction():
            await recount_everything(conn)
            assert await _rows(conn) == kept
    finally:
        await conn.close()
