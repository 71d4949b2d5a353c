"""R-CB-3: the unassigned queue (reason, escalation, retry) and overdue escalation to the escalation role."""

from __future__ import annotations

from datetime import timedelta

import pytest
from huifang_contracts.envelope import Envelope
from huifang_dispatch.entrypoints.api import create_app
from huifang_infra.auth import Role

from tests.dispatch.support import GROUP, T0, FakeClock, due, estate_registered, messages, overdue, scheduled, settings
from tests.support.backbone import wait_for
from tests.support.kafka import produce, read_records
from tests.support.service import bearer, running_service

pytestmark = pytest.mark.integration

ADMIN = bearer(Role.office_manager, GROUP, ["E1"])


async def test_nobody_eligible_waits_with_the_reason_then_is_placed_and_escalated_when_overdue(
    database_url: str, kafka_bootstrap: str, unique: str
) -> None:
    app = create_app(settings(database_url, kafka_bootstrap, unique), clock=FakeClock())
    runtime = app.state.runtime
    async with running_service(app) as client:
        plan = scheduled("cb1", "E1")
        topic = runtime.catalogue.topic_for("callback.CallbackDue")
        await produce(kafka_bootstrap, topic, messages(estate_registered("E1"), plan, due(plan)))

        async def waiting() -> list[dict[str, object]]:
            found: list[dict[str, object]] = (await client.get("/estates/E1/unassigned", headers=ADMIN)).json()
            return found

        queued = await wait_for(waiting, timeout_s=60)
        assert [(c["callback_id"], c["status"], c["unassigned_reason"]) for c in queued] == [
            ("cb1", "unassigned", "no_staff_in_role")
        ]
        assert queued[0]["unassigned_reason_zh"] == "本项目无该岗位人员"
        assert queued[0]["escalated_to_role"] == "office_manager"

        # Someone of the role is registered: the retry loop places it (CallbackAssigned).
        for staff_id, role in [("s1", "service_center_staff"), ("m1", "office_manager")]:
            body = {"staff_id": staff_id, "estate_id": "E1", "name": staff_id, "role": role}
            assert (await client.post("/staff", json=body, headers=ADMIN)).status_code == 201

        async def placed() -> bool:
            return not await waiting()

        await wait_for(placed, timeout_s=30)
        callback = (await client.get("/callbacks/cb1", headers=ADMIN)).json()
        assert (callback["status"], callback["assignee_id"]) == ("assigned", "s1")

        # Overdue → escalated to the office manager (R-CB-3), published as CallbackReassigned.
        await produce(kafka_bootstrap, topic, messages(overdue("cb1", "E1", T0 + timedelta(days=3))))
        records = await read_records(kafka_bootstrap, runtime.catalogue.topic_for("dispatch.CallbackAssigned"), 2)
        first, second = (Envelope.from_bytes(r.value) for r in records)
        assert (first.type, first.payload["assignee_id"]) == ("dispatch.CallbackAssigned", "s1")
        assert second.type == "dispatch.CallbackReassigned"
        assert (second.payload["previous_assignee_id"], second.payload["assignee_id"]) == ("s1", "m1")
        assert (second.payload["reason"], second.payload["assignee_role"]) == ("overdue_escalation", "office_manager")
        staff = {s["staff_id"]: s["open_load"] for s in (await client.get("/staff", headers=ADMIN)).json()}
        assert staff == {"m1": 1, "s1": 0}
