"""Issue 6 §5: R-CB-4 monthly sample at the estate's local draw time, exactly once; R-CB-13 reproduction."""

from __future__ import annotations

import hashlib
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from huifang_infra.auth import Role
from huifang_infra.clock import SettableClock

from tests.callback.support import (
    GROUP,
    callback_app,
    estate_registered,
    feed,
    fetch,
    order_closed,
    published,
    published_at_least,
)
from tests.support.backbone import wait_for
from tests.support.service import bearer, running_service

pytestmark = pytest.mark.integration

MARCH = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)
DRAW_MARCH = datetime(2026, 3, 30, 1, 0, 1, tzinfo=UTC)  # 09:00:01 on the 30th, Beijing
DRAW_APRIL = datetime(2026, 4, 30, 1, 0, 1, tzinfo=UTC)  # April has 30 days: the 30th is the last
MANAGER = bearer(Role.office_manager, GROUP, ["*"])


def ranked(ids: list[str], seed: str) -> list[str]:
    return sorted(ids, key=lambda i: hashlib.sha256(f"{seed}:{i}".encode()).hexdigest())


async def test_r_cb_4_r_cb_13_the_month_is_sampled_once_by_two_instances_and_reproduces(
    database_url: str, kafka_bootstrap: str, unique: str
) -> None:
    clocks = [SettableClock(datetime(2026, 3, 29, tzinfo=UTC)) for _ in range(2)]
    apps = [callback_app(database_url, kafka_bootstrap, unique, c, timer_tick_seconds=0.05) for c in clocks]
    march = [f"WO-03-{i:02d}" for i in range(23)]
    async with running_service(apps[0]) as client, running_service(apps[1]):
        runtime = apps[0].state.runtime
        await feed(runtime, kafka_bootstrap, [estate_registered()])
        await wait_for(lambda: fetch(database_url, "SELECT 1 FROM estates"), 60)
        orders = [order_closed(o, MARCH + timedelta(minutes=i)) for i, o in enumerate(march)]
        orders += [order_closed("WO-03-URG", MARCH, urgent=True)]  # not a general order: not in the population
        orders += [order_closed(f"WO-04-{i}", datetime(2026, 4, 2, tzinfo=UTC)) for i in range(3)]
        await feed(runtime, kafka_bootstrap, orders)
        await wait_for(lambda: _count(database_url, "SELECT count(*) AS n FROM closed_orders", 27), 60)
        for clock in clocks:
            clock.set(DRAW_MARCH)
        drawn = await wait_for(lambda: published_at_least(database_url, "callback.SampleDrawn", 2), 60)
        drawn = [d for d in drawn if d.payload["rule_id"] == "repair.monthly-sample"]
        await wait_for(lambda: published_at_least(database_url, "callback.CallbackDue", 8), 60)  # 7 + the urgent one
        listed = (await client.get("/samples?month=2026-03", headers=MANAGER)).json()
        listed = [s for s in listed if s["rule_id"] == "repair.monthly-sample"]
        reproduction = (await client.get(f"/samples/{listed[0]['sample_id']}/reproduction", headers=MANAGER)).json()
        again = await client.post("/samples/draw", json={"estate_id": "E1", "month": "2026-03"}, headers=MANAGER)
        early = await client.post("/samples/draw", json={"estate_id": "E1", "month": "2026-04"}, headers=MANAGER)
        from_event = await client.post(
            "/samples/reproduce", json={"event": drawn[0].model_dump(mode="json")}, headers=MANAGER
        )
        for clock in clocks:
            clock.set(DRAW_APRIL)
        await wait_for(lambda: published_at_least(database_url, "callback.SampleDrawn", 4), 60)
    everything = await published(database_url, "callback.SampleDrawn")
    # Exactly once per estate, month and rule, two instances ticking every 50 ms; the preset's second
    # sampled kind (other services) had no orders: its months are recorded empty.
    assert sorted((e.payload["month"], e.payload["rule_id"]) for e in everything) == [
        ("2026-03", "repair.monthly-sample"),
        ("2026-03", "service.monthly-sample"),
        ("2026-04", "repair.monthly-sample"),
        ("2026-04", "service.monthly-sample"),
    ]
    assert all(e.payload["chosen_ids"] == [] for e in everything if e.payload["rule_id"].startswith("service"))
    samples = [e for e in everything if e.payload["rule_id"] == "repair.monthly-sample"]
    march_sample = samples[0].payload
    # R-CB-4: n = 23 → k = ceil(0.3 · 23) = 7, door = ceil(7/2) = 4; the urgent order is not general.
    assert march_sample["population_ids"] == sorted(march)
    assert march_sample["chosen_ids"] == ranked(march, "fixed-seed")[:7]
    assert (march_sample["seed"], march_sample["algorithm"], march_sample["door_count"]) == (
        "fixed-seed",
        "sha256-seed-id-rank-v1",
        4,
    )
    assert (samples[1].payload["month"], len(samples[1].payload["chosen_ids"]), samples[1].payload["door_count"]) == (
        "2026-04",
        3,
        2,  # n = 3 < 20 → min(3, 5) = 3; door ceil(3/2) = 2
    )
    scheduled = [
        e.payload
        for e in await published(database_url, "callback.CallbackScheduled")
        if e.payload["sample_id"] == march_sample["sample_id"]
    ]
    assert Counter(p["method"] for p in scheduled) == {"door": 4, "phone": 3}
    assert {p["deadline"] for p in scheduled} == {"2026-04-05T15:59:59Z"}  # by the 5th of next month, local
    assert reproduction["matches"] and from_event.json()["matches"]
    assert again.status_code == 200  # the recorded samples, not redrawn
    assert {s["sample_id"] for s in again.json()} == {e.payload["sample_id"] for e in everything[:2]}
    assert early.status_code == 409


async def _count(database_url: str, query: str, n: int) -> bool:
    return (await fetch(database_url, query))[0]["n"] >= n
