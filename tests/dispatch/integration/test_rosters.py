"""R-OP-3: the roster decides who is working; 07:00 belongs to the previous duty day; approved leave."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from huifang_contracts.envelope import Envelope
from huifang_dispatch.domain.duty import month_days
from huifang_dispatch.entrypoints.api import create_app
from huifang_infra.auth import Role

from tests.dispatch.support import GROUP, FakeClock, due, estate_registered, messages, scheduled, settings
from tests.support.kafka import produce, read_records
from tests.support.service import bearer, running_service

pytestmark = pytest.mark.integration

SUPERVISOR = bearer(Role.office_manager, GROUP, ["E1"], sub="boss")
BEFORE_MARCH = datetime(2026, 2, 20, 2, 0, tzinfo=UTC)
SEVEN_AM_5TH = datetime(2026, 3, 4, 23, 0, tzinfo=UTC)  # 2026-03-05 07:00 Shanghai
NINE_AM_5TH = datetime(2026, 3, 5, 1, 0, tzinfo=UTC)  # 2026-03-05 09:00 Shanghai


async def test_assignment_follows_the_roster_across_the_0830_boundary(
    database_url: str, kafka_bootstrap: str, unique: str
) -> None:
    clock = FakeClock(BEFORE_MARCH)
    app = create_app(settings(database_url, kafka_bootstrap, unique), clock=clock)
    runtime = app.state.runtime
    async with running_service(app) as client:
        for staff_id in ("odd", "even", "cover"):
            body = {"staff_id": staff_id, "estate_id": "E1", "name": staff_id, "role": "service_center_staff"}
            assert (await client.post("/staff", json=body, headers=SUPERVISOR)).status_code == 201
        # "odd" is on duty on odd dates, "even" on even ones; "cover" is rostered on none.
        shifts = {d.isoformat(): ["odd" if d.day % 2 else "even"] for d in month_days("2026-03")}
        partial = {k: v for k, v in shifts.items() if k != "2026-03-31"}
        saved = await client.put(
            "/rosters", json={"estate_id": "E1", "month": "2026-03", "shifts": partial}, headers=SUPERVISOR
        )
        assert saved.status_code == 200, saved.text
        roster_id = saved.json()["roster_id"]
        refused = await client.post(f"/rosters/{roster_id}/publish", headers=SUPERVISOR)
        assert refused.status_code == 422 and "2026-03-31" in refused.json()["detail"]  # 24-h duty, every day
        await client.put("/rosters", json={"estate_id": "E1", "month": "2026-03", "shifts": shifts}, headers=SUPERVISOR)
        assert (await client.post(f"/rosters/{roster_id}/publish", headers=SUPERVISOR)).status_code == 204
        assert (await client.get(f"/rosters/{roster_id}", headers=SUPERVISOR)).json()["published_late"] is False

        on_duty = await client.get("/estates/E1/on-duty", params={"at": SEVEN_AM_5TH.isoformat()}, headers=SUPERVISOR)
        assert on_duty.json()["duty_date"] == "2026-03-04" and on_duty.json()["staff_ids"] == ["even"]
        assert on_duty.json()["ends"]["local"] == "2026-03-05T08:30+08:00"

        # "odd" asks leave on the 5th with "cover" covering; it counts only once approved.
        change = await client.post(
            "/roster-changes",
            headers=bearer(Role.service_center_staff, GROUP, ["E1"], sub="odd"),
            json={
                "roster_id": roster_id,
                "kind": "leave",
                "duty_date": "2026-03-05",
                "staff_id": "odd",
                "substitute_id": "cover",
            },
        )
        assert change.status_code == 201, change.text
        at_nine = {"at": NINE_AM_5TH.isoformat()}
        assert (await client.get("/estates/E1/on-duty", params=at_nine, headers=SUPERVISOR)).json()["staff_ids"] == [
            "odd"
        ]
        approved = await client.post(f"/roster-changes/{change.json()['change_id']}/approve", headers=SUPERVISOR)
        assert approved.status_code == 204
        assert (await client.get("/estates/E1/on-duty", params=at_nine, headers=SUPERVISOR)).json()["staff_ids"] == [
            "cover"
        ]

        early, late = scheduled("cb-early", "E1"), scheduled("cb-late", "E1")
        await produce(
            kafka_bootstrap,
            runtime.catalogue.topic_for("callback.CallbackDue"),
            messages(estate_registered("E1"), early, due(early, at=SEVEN_AM_5TH), late, due(late, at=NINE_AM_5TH)),
        )
        records = await read_records(kafka_bootstrap, runtime.catalogue.topic_for("dispatch.CallbackAssigned"), 2)
        holders = {
            Envelope.from_bytes(r.value).payload["callback_id"]: Envelope.from_bytes(r.value).payload["assignee_id"]
            for r in records
        }
        # 07:00 on the 5th is still the 4th's duty ("even"); 09:00 is the 5th's, covered by "cover".
        assert holders == {"cb-early": "even", "cb-late": "cover"}
