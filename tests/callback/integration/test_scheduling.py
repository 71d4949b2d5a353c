"""Issue 6 §3, §6: intake's events in → CallbackScheduled (+ immediate CallbackDue) out; the reopen loop."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from huifang_contracts.envelope import Envelope
from huifang_infra.clock import SettableClock

from tests.callback.support import (
    callback_app,
    callback_completed,
    complaint_resolved,
    estate_registered,
    feed,
    fetch,
    order_closed,
    published,
    published_at_least,
)
from tests.support.backbone import wait_for
from tests.support.kafka import read_records
from tests.support.service import running_service

pytestmark = pytest.mark.integration

RESOLVED = datetime(2026, 9, 30, 2, 0, tzinfo=UTC)  # Wed 10:00 Beijing
TUESDAY = datetime(2026, 9, 29, 2, 0, tzinfo=UTC)  # Tue 10:00 Beijing


async def test_r_cb_2_r_cb_7_events_schedule_callbacks_and_urgent_ones_are_due_at_once(
    database_url: str, kafka_bootstrap: str, unique: str
) -> None:
    # Tue 29 Sep, 11:00 Beijing: before the month's draw on the 30th (R-CB-4), so WO-GEN stays unsampled.
    clock = SettableClock(TUESDAY + timedelta(hours=1))
    app = callback_app(database_url, kafka_bootstrap, unique, clock)
    runtime = app.state.runtime
    async with running_service(app):
        await feed(runtime, kafka_bootstrap, [estate_registered()])
        await wait_for(lambda: fetch(database_url, "SELECT 1 FROM estates"), 60)
        events = [
            complaint_resolved("C-1", TUESDAY),
            order_closed("WO-URG", TUESDAY, urgent=True),
            order_closed("WO-GEN", TUESDAY),  # R-CB-4: joins the monthly population, no callback now
        ]
        await feed(runtime, kafka_bootstrap, [*events, events[0]])  # the complaint delivered twice
        scheduled = await wait_for(lambda: published_at_least(database_url, "callback.CallbackScheduled", 2), 60)
        due = await wait_for(lambda: published_at_least(database_url, "callback.CallbackDue", 2), 30)
        topic = runtime.catalogue.topic_for("callback.CallbackScheduled")
        on_kafka = await read_records(kafka_bootstrap, topic, 3, timeout_s=30)
    by_source = {e.payload["source_id"]: e for e in scheduled}
    assert set(by_source) == {"C-1", "WO-URG"}
    complaint = by_source["C-1"].payload
    # R-CB-2: 3 working days after Tue 29 Sep → Wed 30 Sep, (National Day), Thu 8, Fri 9 Oct.
    assert complaint["deadline"] == "2026-10-09T15:59:59Z"
    assert (complaint["rule_id"], complaint["policy_id"], complaint["policy_version"]) == (
        "complaint.resolved",
        "preset-residential",
        1,
    )
    assert complaint["caller_role"] == "department_head"  # R-CB-3, general grade
    assert by_source["C-1"].causation_id == events[0].event_id
    # Both windows open at the event (R-CB-7 for the urgent repair): due in the scheduling transaction.
    assert {d.payload["callback_id"] for d in due} == {e.payload["callback_id"] for e in scheduled}
    urgent = next(d for d in due if d.payload["callback_id"] == by_source["WO-URG"].payload["callback_id"])
    assert urgent.payload["due_at"] == "2026-09-29T02:00:00Z"
    assert urgent.causation_id == by_source["WO-URG"].event_id
    assert {Envelope.from_bytes(r.value).type for r in on_kafka} >= {"callback.CallbackScheduled"}
    orders = await fetch(database_url, "SELECT order_id, local_month, urgent FROM closed_orders ORDER BY order_id")
    assert orders == [
        {"order_id": "WO-GEN", "local_month": "2026-09", "urgent": False},  # in no sample yet
        {"order_id": "WO-URG", "local_month": "2026-09", "urgent": True},
    ]


async def test_r_cb_10_dissatisfied_reopens_until_the_cap_then_escalates(
    database_url: str, kafka_bootstrap: str, unique: str
) -> None:
    clock = SettableClock(datetime(2026, 9, 30, 3, 0, tzinfo=UTC))
    app = callback_app(database_url, kafka_bootstrap, unique, clock)
    runtime = app.state.runtime
    async with running_service(app):
        reopened: list[Envelope] = []
        for round_no in (1, 2, 3, 4):  # the preset's cap is 3 rounds
            await feed(runtime, kafka_bootstrap, [complaint_resolved("C-7", RESOLVED, round_no)])
            rows = await wait_for(
                lambda r=round_no: fetch(
                    database_url, "SELECT callback_id FROM callbacks WHERE source_id = 'C-7' AND round = $1", r
                ),
                60,
            )
            await feed(
                runtime, kafka_bootstrap, [callback_completed(rows[0]["callback_id"], RESOLVED, satisfied=False)]
            )
            reopened = await wait_for(
                lambda n=round_no: published_at_least(database_url, "callback.ComplaintReopened", n), 60
            )
        await feed(runtime, kafka_bootstrap, [complaint_resolved("C-7", RESOLVED, 5)])
        rows = await wait_for(
            lambda: fetch(database_url, "SELECT callback_id FROM callbacks WHERE source_id = 'C-7' AND round = 5"), 60
        )
        await feed(runtime, kafka_bootstrap, [callback_completed(rows[0]["callback_id"], RESOLVED, satisfied=True)])
        await wait_for(
            lambda: fetch(database_url, "SELECT 1 FROM callbacks WHERE round = 5 AND state = 'completed'"), 60
        )
    payloads = [(e.payload["round"], e.payload["escalate_to_role"]) for e in reopened]
    # R-CB-10: rounds 1–2 go back to the department; from the cap (3) on, one step up per round.
    assert payloads == [(2, None), (3, None), (4, "office_manager"), (5, "property_director")]
    assert len(await published(database_url, "callback.ComplaintReopened")) == 4  # satisfied: no more
