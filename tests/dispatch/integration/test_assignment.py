"""R-CB-3 end to end: CallbackDue in, the least-loaded eligible person chosen, CallbackAssigned out."""

from __future__ import annotations

from datetime import timedelta

import pytest
from huifang_contracts.enums import CallbackMethod
from huifang_contracts.envelope import Envelope
from huifang_dispatch.entrypoints.api import create_app
from huifang_infra.auth import Role

from tests.dispatch.support import (
    GROUP,
    T0,
    FakeClock,
    completed,
    due,
    estate_registered,
    messages,
    scheduled,
    settings,
)
from tests.support.backbone import wait_for
from tests.support.kafka import produce, read_records
from tests.support.service import bearer, running_service

pytestmark = pytest.mark.integration

ADMIN = bearer(Role.office_manager, GROUP, ["E1"])


async def test_due_callbacks_are_balanced_published_and_queued(
    database_url: str, kafka_bootstrap: str, unique: str
) -> None:
    app = create_app(settings(database_url, kafka_bootstrap, unique), clock=FakeClock())
    runtime = app.state.runtime
    async with running_service(app) as client:
        for staff_id, role, door in [
            ("s1", "service_center_staff", False),
            ("s2", "service_center_staff", True),
            ("r1", "receptionist", True),
        ]:
            body = {
                "staff_id": staff_id,
                "estate_id": "E1",
                "name": f"员工{staff_id}",
                "role": role,
                "door_visits": door,
            }
            assert (await client.post("/staff", json=body, headers=ADMIN)).status_code == 201
        plans = [
            scheduled("cb1", "E1"),
            scheduled("cb2", "E1"),
            scheduled("cb3", "E1", due_at=T0 - timedelta(days=3), deadline=T0 - timedelta(days=1)),
            scheduled("cb4", "E1"),
            scheduled("cb5", "E1", deadline=T0 + timedelta(hours=5)),
            scheduled("cb6", "E1", method=CallbackMethod.DOOR),
        ]
        events: list[Envelope] = [estate_registered("E1")]
        for plan in plans:
            events += [plan, due(plan, at=T0)]
        await produce(kafka_bootstrap, runtime.catalogue.topic_for("callback.CallbackDue"), messages(*events))
        await wait_for(lambda: _open_count(client, 6), timeout_s=60)

        # Ties go by staff id; the door visit only to s2, who does them (R-CB-3).
        view = (await client.get("/estates/E1/callbacks", headers=ADMIN)).json()
        holders = {c["callback_id"]: c["assignee_id"] for c in view["callbacks"]}
        assert holders == {"cb1": "s1", "cb2": "s2", "cb3": "s1", "cb4": "s2", "cb5": "s1", "cb6": "s2"}
        assert view["load"] == {"s1": 3, "s2": 3}

        records = await read_records(kafka_bootstrap, runtime.catalogue.topic_for("dispatch.CallbackAssigned"), 6)
        published = [Envelope.from_bytes(r.value) for r in records]
        assert [(e.payload["callback_id"], e.payload["assignee_id"]) for e in published] == sorted(holders.items())
        dues = {e.payload["callback_id"]: e for e in events if e.type == "callback.CallbackDue"}
        assert all(e.causation_id == dues[e.payload["callback_id"]].event_id for e in published)
        assert all(
            e.payload["assigned_by"] is None and e.payload["assignee_role"] == "service_center_staff" for e in published
        )

        # Completed → s1's open load drops, so the next due callback goes to s1 again.
        extra = scheduled("cb7", "E1")
        await produce(
            kafka_bootstrap,
            runtime.catalogue.topic_for("survey.CallbackCompleted"),
            messages(completed("cb1", "E1", "s1", T0 + timedelta(minutes=5))),
        )
        await wait_for(lambda: _open_count(client, 5), timeout_s=30)
        await produce(
            kafka_bootstrap,
            runtime.catalogue.topic_for("callback.CallbackDue"),
            messages(extra, due(extra, at=T0 + timedelta(minutes=10))),
        )
        await wait_for(lambda: _open_count(client, 6), timeout_s=30)
        mine = await client.get("/me/callbacks", headers=bearer(Role.service_center_staff, GROUP, ["E1"], sub="s1"))
        queue = mine.json()
        # At 10:00 Shanghai: cb3's deadline passed, cb5's is 15:00 today, cb7's in two days.
        assert [c["callback_id"] for c in queue["overdue"]] == ["cb3"]
        assert [c["callback_id"] for c in queue["due_today"]] == ["cb5"]
        assert [c["callback_id"] for c in queue["upcoming"]] == ["cb7"]
        shown = queue["due_today"][0]
        assert shown["requester_phone"] == "13800000000" and shown["method_zh"] == "电话"
        assert shown["deadline"]["local"] == "2026-03-05T15:00+08:00"

        staff_records = await read_records(kafka_bootstrap, runtime.catalogue.topic_for("dispatch.StaffRegistered"), 3)
        assert sorted(Envelope.from_bytes(r.value).payload["staff_id"] for r in staff_records) == ["r1", "s1", "s2"]


async def _open_count(client: object, expected: int) -> bool:
    response = await client.get("/estates/E1/callbacks", headers=ADMIN)  # type: ignore[attr-defined]
    return response.status_code == 200 and len(response.json()["callbacks"]) == expected
