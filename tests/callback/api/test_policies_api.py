"""Issue 6 §1, §8: policies over HTTP — versions, PolicyChanged, validation naming rule and field, preview."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from huifang_callback.domain.presets import commercial, residential
from huifang_infra.auth import Role
from huifang_infra.clock import SettableClock

from tests.callback.support import GROUP, callback_app, estate_registered, feed, fetch, published
from tests.support.backbone import wait_for
from tests.support.service import bearer, running_service

pytestmark = pytest.mark.integration

NOW = datetime(2026, 9, 30, 3, 0, tzinfo=UTC)
MANAGER = bearer(Role.office_manager, GROUP, ["*"])
E1_MANAGER = bearer(Role.office_manager, GROUP, ["E1"])


async def test_policies_are_versioned_announced_scoped_and_validated(
    database_url: str, kafka_bootstrap: str, unique: str
) -> None:
    app = callback_app(database_url, kafka_bootstrap, unique, SettableClock(NOW))
    async with running_service(app) as client:
        await feed(app.state.runtime, kafka_bootstrap, [estate_registered("E1"), estate_registered("E2")])
        await wait_for(lambda: _estates(database_url, 2), 60)
        assert (await client.post("/policies", json={"preset": "commercial"})).status_code == 401
        receptionist = bearer(Role.receptionist, GROUP, ["*"])
        assert (await client.post("/policies", json={"preset": "full"}, headers=receptionist)).status_code == 403
        assert (await client.post("/policies", json={"preset": "full"}, headers=E1_MANAGER)).status_code == 403

        created = await client.post("/policies", json={"preset": "commercial", "name": "商业项目"}, headers=MANAGER)
        assert created.status_code == 201, created.text
        policy = created.json()
        assert (policy["policy_id"], policy["version"], policy["preset"]) == ("pol-G1-group", 1, "commercial")
        twice = await client.post("/policies", json={"preset": "commercial"}, headers=MANAGER)
        assert twice.status_code == 409

        body = policy["body"] | {"fatigue": {"max_contacts": 2, "days": 90}}
        updated = await client.put(
            "/policies/pol-G1-group", json={"body": body, "expected_version": 1}, headers=MANAGER
        )
        assert updated.status_code == 200 and updated.json()["version"] == 2
        stale = await client.put("/policies/pol-G1-group", json={"body": body, "expected_version": 1}, headers=MANAGER)
        assert stale.status_code == 409

        override = await client.post("/policies", json={"preset": "full", "estate_id": "E1"}, headers=E1_MANAGER)
        assert override.status_code == 201 and override.json()["policy_id"] == "pol-G1-E1"
        # In force: the estate's own policy, else its group's (issue 6 §1).
        renovation = {"renovation_id": "R-1", "unit_id": "U-1", "completed_at": "2026-09-30T02:00:00Z"}
        for estate_id, expected in (("E1", ("pol-G1-E1", 1)), ("E2", ("pol-G1-group", 2))):
            ask = {"estate_id": estate_id, "event_type": "intake.RenovationCompleted", "payload": renovation}
            shown = (await client.post("/policies/preview", json=ask, headers=MANAGER)).json()
            assert (shown["policy_id"], shown["policy_version"]) == expected
        versions = (await client.get("/policies/pol-G1-group", headers=MANAGER)).json()
        assert [v["version"] for v in versions] == [1, 2]
        e1_view = (await client.get("/policies", headers=E1_MANAGER)).json()
        assert sorted(p["policy_id"] for p in e1_view) == ["pol-G1-E1", "pol-G1-group"]

        bad = residential()
        bad["rules"][4]["rate"] = {"mode": "percent"}
        invalid = await client.post("/policies/validate", json={"body": bad}, headers=MANAGER)
        assert invalid.status_code == 422
        assert (invalid.json()["rule_id"], invalid.json()["field"]) == ("complaint.resolved", "rate.percent")
        valid = await client.post("/policies/validate", json={"body": residential()}, headers=MANAGER)
        assert valid.status_code == 200 and valid.json()["rules"][0] == "repair.urgent"
        # A preset change under a group policy changes nothing in force; a new estate learns the group's.
        await feed(
            app.state.runtime, kafka_bootstrap, [estate_registered("E2", preset="full"), estate_registered("E3")]
        )
        await wait_for(lambda: _estates(database_url, 3), 60)
        await wait_for(lambda: _changed(database_url, 8), 60)
    changed = [
        (e.estate_id, e.payload["policy_id"], e.payload["policy_version"])
        for e in await published(database_url, "callback.PolicyChanged")
    ]
    # Registered estates first run their preset; a group policy then announces itself to every estate
    # without its own, the override to its estate only.
    assert sorted(changed[:2]) == [("E1", "preset-residential", 1), ("E2", "preset-residential", 1)]
    assert changed[2:] == [
        ("E1", "pol-G1-group", 1),
        ("E2", "pol-G1-group", 1),
        ("E1", "pol-G1-group", 2),
        ("E2", "pol-G1-group", 2),
        ("E1", "pol-G1-E1", 1),
        ("E3", "pol-G1-group", 2),
    ]


async def test_preview_shows_what_a_policy_would_do_in_estate_local_time(
    database_url: str, kafka_bootstrap: str, unique: str
) -> None:
    app = callback_app(database_url, kafka_bootstrap, unique, SettableClock(NOW))
    major = {
        "complaint_id": "C-9",
        "grade": "major",
        "validity": "valid",
        "category": "plumbing",
        "department": "engineering",
        "resolved_at": "2026-09-30T02:00:00Z",
        "accepted_by_requester": True,
    }
    async with running_service(app) as client:
        ask = {"estate_id": "E1", "event_type": "intake.ComplaintResolved", "payload": major}
        shown = await client.post("/policies/preview", json=ask, headers=E1_MANAGER)
        assert shown.status_code == 200, shown.text
        preview = shown.json()
        # R-CB-3: major → office manager, door visit, apology; R-CB-2: 3 working days → Sat 10 Oct (调休).
        assert (preview["outcome"], preview["rule_id"], preview["caller_role"], preview["method"]) == (
            "scheduled",
            "complaint.resolved",
            "office_manager",
            "door",
        )
        assert preview["apology"] and preview["caller_role_zh"] == "管理处经理"
        assert preview["deadline"]["local"] == "2026-10-10 23:59:59"
        coordination = ask | {"payload": major | {"validity": "coordination"}}
        draft = await client.post("/policies/preview", json=coordination | {"body": commercial()}, headers=E1_MANAGER)
        assert (draft.json()["outcome"], draft.json()["policy_id"]) == ("skipped", "draft")  # R-CB-1 in commercial
        broken = await client.post(
            "/policies/preview", json=ask | {"payload": major | {"grade": "huge"}}, headers=E1_MANAGER
        )
        assert broken.status_code == 422 and broken.json()["field"] == "payload.grade"
        other = bearer(Role.office_manager, GROUP, ["E2"])
        assert (await client.post("/policies/preview", json=ask, headers=other)).status_code == 403


async def _estates(database_url: str, n: int) -> bool:
    return len(await fetch(database_url, "SELECT 1 FROM estates")) >= n


async def _changed(database_url: str, n: int) -> bool:
    return len(await published(database_url, "callback.PolicyChanged")) >= n
