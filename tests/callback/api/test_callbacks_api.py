"""Issue 6 §8, §7, R-CB-11: callback lists by state within scope; contact fatigue; failed callbacks close."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from huifang_callback.domain.presets import full
from huifang_contracts.enums import AttemptResult, FailureReason
from huifang_contracts.survey import CallbackFailed
from huifang_infra.auth import Role
from huifang_infra.clock import SettableClock

from tests.callback.support import GROUP, callback_app, estate_registered, feed, fetch, order_closed, wrap
from tests.support.backbone import wait_for
from tests.support.service import bearer, running_service

pytestmark = pytest.mark.integration

CLOSED = datetime(2026, 9, 30, 2, 0, tzinfo=UTC)
MANAGER = bearer(Role.office_manager, GROUP, ["*"])


async def test_lists_fatigue_and_failure(database_url: str, kafka_bootstrap: str, unique: str) -> None:
    clock = SettableClock(CLOSED + timedelta(hours=1))
    app = callback_app(database_url, kafka_bootstrap, unique, clock)
    runtime = app.state.runtime
    async with running_service(app) as client:
        await feed(runtime, kafka_bootstrap, [estate_registered("E1"), estate_registered("E2")])
        await wait_for(lambda: _n(database_url, "SELECT count(*) AS n FROM estates", 2), 60)
        # The full preset calls back every repair; fatigue: at most 2 per household in 30 days (issue 6 §7).
        body = full() | {"fatigue": {"max_contacts": 2, "days": 30}}
        assert (await client.post("/policies", json={"body": body}, headers=MANAGER)).status_code == 201
        same_unit = [order_closed(f"WO-{i}", CLOSED, unit="U-7") for i in range(4)]
        urgent = order_closed("WO-URG", CLOSED, urgent=True, unit="U-7")  # mandatory: exempt
        other_estate = order_closed("WO-E2", CLOSED, estate="E2")
        await feed(runtime, kafka_bootstrap, [*same_unit, urgent, other_estate])
        await wait_for(lambda: _n(database_url, "SELECT count(*) AS n FROM closed_orders", 6), 60)
        due = (await client.get("/callbacks", params={"state": "due"}, headers=MANAGER)).json()
        e1_only = (await client.get("/callbacks", headers=bearer(Role.dispatcher, GROUP, ["E1"]))).json()
        e2_row = next(c for c in due if c["estate_id"] == "E2")
        hidden = await client.get(f"/callbacks/{e2_row['callback_id']}", headers=bearer(Role.dispatcher, GROUP, ["E1"]))
        failed = CallbackFailed(
            callback_id=e2_row["callback_id"],
            attempts_used=3,
            last_result=AttemptResult.NO_ANSWER,
            reason=FailureReason.ATTEMPTS_EXHAUSTED,
        )
        await feed(runtime, kafka_bootstrap, [wrap(failed, e2_row["callback_id"], CLOSED, "E2")])
        await wait_for(lambda: _n(database_url, "SELECT count(*) AS n FROM callbacks WHERE state = 'failed'", 1), 60)
        shown = (await client.get(f"/callbacks/{e2_row['callback_id']}", headers=MANAGER)).json()
        clock.set(datetime(2026, 10, 11, tzinfo=UTC))  # past every deadline
        await wait_for(lambda: _n(database_url, "SELECT count(*) AS n FROM callbacks WHERE state = 'overdue'", 3), 60)
    sources = sorted(c["source_id"] for c in due)
    # U-7: two of the four general repairs, then tired; the urgent one always (R-CB-7).
    assert sources == ["WO-0", "WO-1", "WO-E2", "WO-URG"]
    assert {c["state_zh"] for c in due} == {"待回访"}
    assert sorted(c["source_id"] for c in e1_only) == ["WO-0", "WO-1", "WO-URG"]
    assert hidden.status_code == 404
    first = next(c for c in due if c["source_id"] == "WO-0")
    assert first["deadline"]["local"] == "2026-10-10 23:59:59"  # full preset: 3 working days (R-CB-2)
    assert (shown["state"], shown["state_zh"]) == ("failed", "未联系上")  # R-CB-11
    overdue = await fetch(database_url, "SELECT callback_id FROM callbacks WHERE state = 'overdue' ORDER BY 1")
    # The failed callback is closed: it is never announced overdue; the three open ones are.
    assert e2_row["callback_id"] not in {r["callback_id"] for r in overdue} and len(overdue) == 3


async def _n(database_url: str, query: str, n: int) -> bool:
    return (await fetch(database_url, query))[0]["n"] >= n
