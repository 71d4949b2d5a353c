"""Issue 6 §4: CallbackDue and CallbackOverdue exactly once — two instances, restarts, catch-up."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from huifang_callback.domain.presets import residential
from huifang_infra.auth import Role
from huifang_infra.clock import SettableClock

from tests.callback.support import GROUP, callback_app, complaint_resolved, estate_registered, feed, fetch, published
from tests.support.backbone import wait_for
from tests.support.service import bearer, running_service

pytestmark = pytest.mark.integration

RESOLVED = datetime(2026, 9, 30, 2, 0, tzinfo=UTC)  # Wed 10:00 Beijing
MANAGER = bearer(Role.office_manager, GROUP, ["*"])


def delayed_policy() -> dict[str, Any]:
    """The residential preset, with complaint callbacks opening 2 hours after resolution."""
    document = residential()
    for rule in document["rules"]:
        if rule["rule_id"] == "complaint.resolved":
            rule["window"] = rule["window"] | {"start": {"amount": 2, "unit": "hours"}}
    return document


async def _schedule(client: Any, kafka_bootstrap: str, runtime: Any, database_url: str, n: int) -> None:
    await feed(runtime, kafka_bootstrap, [estate_registered()])
    await wait_for(lambda: fetch(database_url, "SELECT 1 FROM estates"), 60)
    created = await client.post("/policies", json={"name": "延后两小时", "body": delayed_policy()}, headers=MANAGER)
    assert created.status_code == 201, created.text
    await feed(runtime, kafka_bootstrap, [complaint_resolved(f"C-{i:03d}", RESOLVED) for i in range(n)])
    await wait_for(lambda: _rows(database_url, "scheduled", n), 60)


async def _rows(database_url: str, state: str, n: int) -> bool:
    return len(await fetch(database_url, "SELECT 1 FROM callbacks WHERE state = $1", state)) >= n


async def test_two_instances_emit_each_callback_due_and_overdue_exactly_once(
    database_url: str, kafka_bootstrap: str, unique: str
) -> None:
    n = 60
    first_clock, second_clock = SettableClock(RESOLVED), SettableClock(RESOLVED)
    first = callback_app(
        database_url, kafka_bootstrap, unique, first_clock, timer_tick_seconds=0.05, timer_batch_size=7
    )
    second = callback_app(
        database_url, kafka_bootstrap, unique, second_clock, timer_tick_seconds=0.05, timer_batch_size=7
    )
    async with running_service(first) as client, running_service(second):
        await _schedule(client, kafka_bootstrap, first.state.runtime, database_url, n)
        assert await published(database_url, "callback.CallbackDue") == []  # opens at 12:00 local, not yet
        for clock in (first_clock, second_clock):
            clock.set(RESOLVED + timedelta(hours=2, seconds=1))
        await wait_for(lambda: _rows(database_url, "due", n), 60)
        for clock in (first_clock, second_clock):
            clock.set(datetime(2026, 10, 11, tzinfo=UTC))  # past the deadline, end of Sat 10 Oct local
        await wait_for(lambda: _rows(database_url, "overdue", n), 60)
        policy_changed = await published(database_url, "callback.PolicyChanged")
    due = Counter(e.payload["callback_id"] for e in await published(database_url, "callback.CallbackDue"))
    overdue = await published(database_url, "callback.CallbackOverdue")
    assert len(due) == n and set(due.values()) == {1}
    assert len(overdue) == n and len({e.payload["callback_id"] for e in overdue}) == n
    # The general-grade caller is the department head; the rule's path escalates to the office manager.
    assert {e.payload["escalate_to_role"] for e in overdue} == {"office_manager"}
    assert {e.payload["deadline"] for e in overdue} == {"2026-10-10T15:59:59Z"}
    # The registered estate first runs its preset; the group's policy then takes over, version 1.
    assert [(e.estate_id, e.payload["policy_id"], e.payload["policy_version"]) for e in policy_changed] == [
        ("E1", "preset-residential", 1),
        ("E1", "pol-G1-group", 1),
    ]


async def test_catch_up_after_downtime_announces_due_before_overdue(
    database_url: str, kafka_bootstrap: str, unique: str
) -> None:
    clock = SettableClock(RESOLVED)
    app = callback_app(database_url, kafka_bootstrap, unique, clock)
    async with running_service(app) as client:
        await _schedule(client, kafka_bootstrap, app.state.runtime, database_url, 10)
    clock.set(datetime(2026, 10, 20, tzinfo=UTC))  # the service was down through both moments
    restarted = callback_app(database_url, kafka_bootstrap, unique, clock)
    async with running_service(restarted):
        await wait_for(lambda: _rows(database_url, "overdue", 10), 60)
    rows = await fetch(
        database_url,
        "SELECT event_type, count(*) AS n, min(id) AS first, max(id) AS last FROM outbox "
        "WHERE event_type IN ('callback.CallbackDue', 'callback.CallbackOverdue') GROUP BY event_type",
    )
    by_type = {r["event_type"]: r for r in rows}
    assert by_type["callback.CallbackDue"]["n"] == 10 and by_type["callback.CallbackOverdue"]["n"] == 10
    assert by_type["callback.CallbackDue"]["last"] < by_type["callback.CallbackOverdue"]["first"]
