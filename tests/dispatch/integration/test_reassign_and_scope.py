"""Manual reassignment, accept and release by the holder, and tenancy scope on every endpoint."""

from __future__ import annotations

import pytest
from huifang_contracts.enums import CallbackMethod
from huifang_contracts.envelope import Envelope
from huifang_dispatch.entrypoints.api import create_app
from huifang_infra.auth import Role

from tests.dispatch.support import GROUP, FakeClock, due, estate_registered, messages, scheduled, settings
from tests.support.backbone import wait_for
from tests.support.kafka import produce, read_records
from tests.support.service import bearer, running_service

pytestmark = pytest.mark.integration

MANAGER = bearer(Role.office_manager, GROUP, ["E1"], sub="boss")


def staff_token(sub: str) -> dict[str, str]:
    return bearer(Role.service_center_staff, GROUP, ["E1"], sub=sub)


async def test_reassign_accept_release_and_scope(database_url: str, kafka_bootstrap: str, unique: str) -> None:
    app = create_app(settings(database_url, kafka_bootstrap, unique), clock=FakeClock())
    runtime = app.state.runtime
    async with running_service(app) as client:
        for staff_id, estate, door in [("a", "E1", True), ("b", "E1", True), ("c", "E1", False), ("x", "E2", True)]:
            body = {
                "staff_id": staff_id,
                "estate_id": estate,
                "name": staff_id,
                "role": "service_center_staff",
                "door_visits": door,
            }
            headers = bearer(Role.admin, GROUP, ["*"])
            assert (await client.post("/staff", json=body, headers=headers)).status_code == 201
        plan = scheduled("cb1", "E1", method=CallbackMethod.DOOR)
        await produce(
            kafka_bootstrap,
            runtime.catalogue.topic_for("callback.CallbackDue"),
            messages(estate_registered("E1"), plan, due(plan)),
        )

        async def holder() -> str | None:
            response = await client.get("/callbacks/cb1", headers=MANAGER)
            return response.json()["assignee_id"] if response.status_code == 200 else None

        assert await wait_for(holder, timeout_s=60) == "a"

        # Accept: only the holder.
        assert (await client.post("/callbacks/cb1/accept", headers=staff_token("b"))).status_code == 403
        assert (await client.post("/callbacks/cb1/accept", headers=staff_token("a"))).status_code == 204
        assert (await client.post("/callbacks/cb1/accept", headers=staff_token("a"))).status_code == 409
        # Release: the next eligible person who does door visits ("c" does not) — "b".
        released = await client.post("/callbacks/cb1/release", headers=staff_token("a"))
        assert released.json() == {"assignee_id": "b"}
        # A manager's reassignment: refused to someone without door visits or of another estate.
        refused = await client.post("/callbacks/cb1/reassign", json={"assignee_id": "c"}, headers=MANAGER)
        assert refused.status_code == 422 and refused.json()["errors"][0]["loc"] == ["assignee_id"]
        other_estate = await client.post("/callbacks/cb1/reassign", json={"assignee_id": "x"}, headers=MANAGER)
        assert other_estate.status_code == 422
        assert (
            await client.post("/callbacks/cb1/reassign", json={"assignee_id": "a"}, headers=MANAGER)
        ).status_code == 204
        # Staff may not reassign.
        assert (
            await client.post("/callbacks/cb1/reassign", json={"assignee_id": "b"}, headers=staff_token("a"))
        ).status_code == 403

        records = await read_records(kafka_bootstrap, runtime.catalogue.topic_for("dispatch.CallbackAssigned"), 3)
        events = [Envelope.from_bytes(r.value) for r in records]
        assert [(e.type.split(".")[1], e.payload["assignee_id"]) for e in events] == [
            ("CallbackAssigned", "a"),
            ("CallbackReassigned", "b"),
            ("CallbackReassigned", "a"),
        ]
        assert (events[1].payload["reason"], events[1].payload["reassigned_by"]) == ("staff_unavailable", "a")
        assert (events[2].payload["reason"], events[2].payload["reassigned_by"]) == ("manual", "boss")
        load = {s["staff_id"]: s["open_load"] for s in (await client.get("/staff", headers=MANAGER)).json()}
        assert load == {"a": 1, "b": 0, "c": 0}  # E2's "x" is outside the manager's scope

        # Scope: another estate of the group → 403; another group → 404; no token → 401.
        e2_only = bearer(Role.office_manager, GROUP, ["E2"])
        assert (await client.get("/callbacks/cb1", headers=e2_only)).status_code == 403
        assert (await client.get("/estates/E1/callbacks", headers=e2_only)).status_code == 403
        assert (await client.get("/callbacks/cb1", headers=bearer(Role.office_manager, "G2", ["*"]))).status_code == 404
        assert (await client.get("/me/callbacks")).status_code == 401
        staff_in_e2 = {"staff_id": "y", "estate_id": "E1", "name": "y", "role": "receptionist"}
        assert (await client.post("/staff", json=staff_in_e2, headers=e2_only)).status_code == 403
