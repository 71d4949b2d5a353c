"""What dispatch and survey asked of `CallbackScheduled` and `CallbackOverdue`, end to end on Kafka.

R-CB-3: the worker who did the job rides on the callback (also a sampled one, R-CB-4). R-SV-3: the
policy's rating scale. R-CB-11, R-RP-2: survey's attempts are counted, so a late callback reports
how many tries were made.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from huifang_contracts.envelope import Envelope
from huifang_infra.auth import Role
from huifang_infra.clock import SettableClock

from tests.callback.support import (
    GROUP,
    callback_app,
    callback_attempted,
    complaint_resolved,
    estate_registered,
    feed,
    fetch,
    order_closed,
    published_at_least,
    rows_at_least,
)
from tests.support.backbone import wait_for
from tests.support.kafka import read_records
from tests.support.service import bearer, running_service

pytestmark = pytest.mark.integration

CLOSED = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # Mon 2 March, 10:00 Beijing
DRAW_MARCH = datetime(2026, 3, 30, 1, 0, 1, tzinfo=UTC)  # 09:00:01 on the 30th, Beijing
MANAGER = bearer(Role.office_manager, GROUP, ["*"])


async def _inbox(database_url: str, event_type: str, n: int) -> bool:
    rows = await fetch(database_url, "SELECT count(*) AS n FROM inbox WHERE event_type = $1", event_type)
    return rows[0]["n"] >= n


async def test_r_cb_3_r_sv_3_r_cb_11_worker_scale_and_attempts_reach_the_overdue_event(
    database_url: str, kafka_bootstrap: str, unique: str
) -> None:
    clock = SettableClock(CLOSED + timedelta(minutes=1))
    app = callback_app(database_url, kafka_bootstrap, unique, clock)
    runtime = app.state.runtime
    async with running_service(app) as client:
        await feed(runtime, kafka_bootstrap, [estate_registered("E1", "full"), estate_registered("E2", "commercial")])
        await wait_for(lambda: rows_at_least(database_url, "SELECT 1 FROM estates", 2), 60)
        await feed(
            runtime,
            kafka_bootstrap,
            [order_closed("WO-1", CLOSED, worker="W-LI"), complaint_resolved("C-2", CLOSED, estate="E2")],
        )
        scheduled = await wait_for(lambda: published_at_least(database_url, "callback.CallbackScheduled", 2), 60)
        by_source = {e.payload["source_id"]: e.payload for e in scheduled}
        repair, resolved = by_source["WO-1"], by_source["C-2"]
        callback_id = repair["callback_id"]
        # R-CB-11: survey tried twice; attempt 2 is re-sent (new event id), attempt 1 arrives late, and
        # one attempt names a callback this service never scheduled.
        tries = [callback_attempted(callback_id, 2, CLOSED + timedelta(hours=3))]
        tries += [callback_attempted(callback_id, 2, CLOSED + timedelta(hours=3))]
        tries += [callback_attempted(callback_id, 1, CLOSED + timedelta(hours=1))]
        tries += [callback_attempted("cb-elsewhere", 1, CLOSED)]
        await feed(runtime, kafka_bootstrap, tries)
        await wait_for(lambda: _inbox(database_url, "survey.CallbackAttempted", 4), 60)
        query = "SELECT attempts_used, state FROM callbacks WHERE callback_id = $1"
        rows = await fetch(database_url, query, callback_id)
        shown = (await client.get(f"/callbacks/{callback_id}", headers=MANAGER)).json()
        clock.set(datetime(2026, 3, 6, tzinfo=UTC))  # past the end of Thu 5 March, Beijing
        overdue = await wait_for(lambda: published_at_least(database_url, "callback.CallbackOverdue", 2), 60)
        topic = runtime.catalogue.topic_for("callback.CallbackScheduled")
        on_kafka = await read_records(kafka_bootstrap, topic, 6, timeout_s=30)  # Scheduled, Due, Overdue × 2
    # R-CB-3: the worker of the closed order; a complaint has none. R-SV-3: full → 4 levels, commercial → 3.
    assert (repair["worker_id"], repair["rating_scale"], repair["rule_id"]) == ("W-LI", "four_level", "repair.all")
    assert (resolved["worker_id"], resolved["rating_scale"]) == (None, "three_level")
    # What dispatch and survey read from Kafka carries the same fields.
    envelopes = [Envelope.from_bytes(r.value) for r in on_kafka]
    relayed = {e.payload["source_id"]: e for e in envelopes if e.type == "callback.CallbackScheduled"}
    assert relayed["WO-1"].payload["worker_id"] == "W-LI"
    assert relayed["C-2"].payload["rating_scale"] == "three_level"
    assert rows == [{"attempts_used": 2, "state": "due"}]
    assert (shown["attempts_used"], shown["worker_id"], shown["rating_scale"]) == (2, "W-LI", "four_level")
    # R-CB-2: full: 3 working days after Mon 2 March → Tue 3, Wed 4, Thu 5 → 23:59:59 Beijing on Thu 5;
    # commercial: 3 days after resolution, the same day. Only the repair was tried (twice).
    late = {e.payload["callback_id"]: (e.payload["deadline"], e.payload["attempts_made"]) for e in overdue}
    assert late == {callback_id: ("2026-03-05T15:59:59Z", 2), resolved["callback_id"]: ("2026-03-05T15:59:59Z", 0)}


async def test_r_cb_3_r_cb_4_a_sampled_callback_names_the_worker_of_its_order(
    database_url: str, kafka_bootstrap: str, unique: str
) -> None:
    clock = SettableClock(CLOSED + timedelta(minutes=1))
    app = callback_app(database_url, kafka_bootstrap, unique, clock)
    runtime = app.state.runtime
    async with running_service(app):
        await feed(runtime, kafka_bootstrap, [estate_registered()])
        await wait_for(lambda: fetch(database_url, "SELECT 1 FROM estates"), 60)
        orders = [order_closed("WO-S1", CLOSED, worker="W-WANG"), order_closed("WO-S2", CLOSED)]
        await feed(runtime, kafka_bootstrap, orders)
        await wait_for(lambda: rows_at_least(database_url, "SELECT 1 FROM closed_orders", 2), 60)
        kept = await fetch(database_url, "SELECT order_id, worker_id FROM closed_orders ORDER BY order_id")
        clock.set(DRAW_MARCH)
        scheduled = await wait_for(lambda: published_at_least(database_url, "callback.CallbackScheduled", 2), 60)
    # R-CB-4: n = 2 < 20 → k = min(2, 5) = 2, both sampled; each keeps its own worker (or none).
    assert kept == [{"order_id": "WO-S1", "worker_id": "W-WANG"}, {"order_id": "WO-S2", "worker_id": None}]
    got = sorted((e.payload["source_id"], e.payload["sampled"], e.payload["worker_id"]) for e in scheduled)
    assert got == [("WO-S1", True, "W-WANG"), ("WO-S2", True, None)]
    assert {e.payload["rating_scale"] for e in scheduled} == {"four_level"}  # R-SV-3, seed 000
