"""KPIs end to end: events in through Kafka, figures out through the API (R-SV-4, R-RP-1, R-RP-2, R-RP-4).

The figures asserted here are computed by hand in `tests/reporting/scenario.py`.
"""

from __future__ import annotations

from typing import Any

import pytest
from huifang_contracts.envelope import Envelope
from huifang_infra.auth import Role
from huifang_reporting.bootstrap import create_app

from tests.reporting import scenario
from tests.reporting.support import FakeClock, feed, projected, reporting_settings
from tests.support.backbone import wait_for
from tests.support.kafka import read_records
from tests.support.service import bearer, running_service

pytestmark = pytest.mark.integration

QUALITY = bearer(Role.quality_dept, "G1", ["*"])
MANAGER_E1 = bearer(Role.office_manager, "G1", ["E1"])
FEB = {"from": "2026-02", "to": "2026-02"}


def rate(kpis: dict[str, Any], metric: str) -> tuple[int, int, float | None]:
    r = kpis["rates"][metric]
    return r["numerator"], r["denominator"], r["percent"]


async def test_kpis_scope_month_boundaries_and_corrective_actions_once(
    database_url: str, kafka_bootstrap: str, unique: str
) -> None:
    clock = FakeClock(scenario.at("2026-02-20T00:00:00"))
    app = create_app(reporting_settings(database_url, kafka_bootstrap, unique), clock)
    runtime = app.state.runtime
    events = scenario.events()
    async with running_service(app) as client:
        await feed(runtime, kafka_bootstrap, events)
        await projected(runtime, len(events))

        overview = (await client.get("/kpis/overview", params=FEB, headers=QUALITY)).json()
        e1 = next(e for e in overview["estates"] if e["estate_id"] == "E1")["kpis"]
        assert rate(e1, "callback_satisfaction") == (2, 3, 66.67)  # R-RP-1, both scales
        assert rate(e1, "complaint_satisfaction") == (1, 2, 50.0)
        assert rate(e1, "timeliness") == (2, 3, 66.67)  # R-RP-2
        assert rate(e1, "success_rate") == (3, 4, 75.0)
        assert rate(e1, "coverage") == (3, 4, 75.0)
        assert rate(e1, "overall_satisfaction") == (2, 3, 66.67)  # R-SV-4
        assert rate(e1, "return_rate") == (3, 4, 75.0)
        assert e1["counts"]["callbacks_overdue"] == 1
        assert e1["complaints"]["grade"] == {"general": 1, "important": 1, "major": 0}
        assert e1["complaints"]["validity"]["valid"] == 1 and e1["complaints"]["validity"]["coordination"] == 1
        flagged = next(e for e in overview["estates"] if e["estate_id"] == "E1")
        assert flagged["below_target"] == ["overall_satisfaction"]  # R-SV-5 default 95 %
        # E3 is unknown: its callback due 2026-02-28 16:30 UTC is March in Asia/Shanghai
        assert [e["estate_id"] for e in overview["estates"]] == ["E1", "E2"]
        # group roll-up (R-RP-4): E1 + E2 = 3 + 1 completed, 2 + 1 satisfied
        assert rate(overview["group"], "callback_satisfaction") == (3, 4, 75.0)

        # the late completion of cb5 (15 Feb) counts in January, the month it was owed
        january = (await client.get("/kpis/trend", params={"from": "2026-01", "to": "2026-01"}, headers=QUALITY)).json()
        assert rate(january["months"][0]["kpis"], "callback_satisfaction") == (1, 1, 100.0)

        items = (await client.get("/kpis/items", params=FEB | {"estate_id": "E1"}, headers=QUALITY)).json()
        assert items["items"]["cleaning"]["numerator"] == 2 and items["items"]["cleaning"]["denominator"] == 3

        staff = (await client.get("/kpis/estates/E1", params=FEB | {"by": "staff"}, headers=MANAGER_E1)).json()
        by_staff = {row["name"]: rate(row, "callback_satisfaction") for row in staff["rows"]}
        assert by_staff["张三"] == (1, 2, 50.0) and by_staff["李四"] == (1, 1, 100.0)
        depts = (await client.get("/kpis/estates/E1", params=FEB, headers=MANAGER_E1)).json()
        assert {r["key"]: rate(r, "coverage") for r in depts["rows"]} == {
            "cleaning": (1, 2, 50.0),
            "engineering": (2, 2, 100.0),
        }

        # scope: the estate manager sees only E1; another estate is 403; no token is 401
        mine = (await client.get("/kpis/overview", params=FEB, headers=MANAGER_E1)).json()
        assert [e["estate_id"] for e in mine["estates"]] == ["E1"]
        assert (await client.get("/kpis/estates/E2", params=FEB, headers=MANAGER_E1)).status_code == 403
        assert (await client.get("/kpis/overview", params=FEB)).status_code == 401
        bad = await client.get("/kpis/overview", params={"from": "2026-13"}, headers=QUALITY)
        assert bad.status_code == 422

        # E3 registers with a London zone: cb9 moves to February (28 Feb 16:30 local)
        await feed(runtime, kafka_bootstrap, [scenario.estate("E3", "Europe/London")])
        await projected(runtime, len(events) + 1)
        again = (await client.get("/kpis/overview", params=FEB, headers=QUALITY)).json()
        assert [e["estate_id"] for e in again["estates"]] == ["E1", "E2", "E3"]

        # R-SV-5: an estate target for callback satisfaction, then the month closes by the clock
        put = await client.put(
            "/targets",
            json={"estate_id": "E1", "metric": "callback_satisfaction", "target_percent": 90},
            headers=QUALITY,
        )
        assert put.status_code == 200, put.text
        assert (
            await client.put("/targets", json={"metric": "coverage", "target_percent": 90}, headers=MANAGER_E1)
        ).status_code == 403
        clock.now = scenario.at("2026-03-06T00:00:00")  # after 5 March 00:00 in Shanghai
        topic = runtime.catalogue.topic_for("reporting.CorrectiveActionRequired")
        records = await read_records(kafka_bootstrap, topic, 2, timeout_s=30)
        notices = sorted((Envelope.from_bytes(r.value) for r in records), key=lambda e: e.payload["metric"])
        assert [
            (n.estate_id, n.payload["metric"], n.payload["period"], n.payload["actual_percent"]) for n in notices
        ] == [
            ("E1", "callback_satisfaction", "2026-02", 66.67),
            ("E1", "overall_satisfaction", "2026-02", 66.67),
        ]
        # closing again on request issues nothing more (exactly once per estate, month, KPI)
        closed = await client.post("/months/2026-02/close", json={}, headers=QUALITY)
        assert closed.status_code == 200, closed.text
        assert closed.json()["issued"] == []
        assert (await client.post("/months/2099-01/close", json={}, headers=QUALITY)).status_code == 409
        actions = (await client.get("/corrective-actions", headers=QUALITY)).json()["actions"]
        assert len(actions) == 2
        action = next(a for a in actions if a["metric"] == "overall_satisfaction")
        assert (action["numerator"], action["denominator"]) == (2, 3)

        url = f"/corrective-actions/{action['action_id']}/verification"
        done = await client.post(
            url, json={"effective": True, "actual_percent": 96.0, "note": "整改完成"}, headers=QUALITY
        )
        assert done.status_code == 200, done.text
        assert done.json()["effective"] is True
        assert (await client.post(url, json={"effective": True}, headers=QUALITY)).status_code == 409
        verified_topic = runtime.catalogue.topic_for("reporting.CorrectiveActionVerified")
        everything = await read_records(kafka_bootstrap, verified_topic, 3, timeout_s=30)
        types = sorted(Envelope.from_bytes(r.value).type for r in everything)
        assert types.count("reporting.CorrectiveActionRequired") == 2
        assert types.count("reporting.CorrectiveActionVerified") == 1

        async def still_two() -> bool:
            return len((await client.get("/corrective-actions", headers=QUALITY)).json()["actions"]) == 2

        assert await wait_for(still_two, timeout_s=5)
