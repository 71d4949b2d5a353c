"""Other services and renovations over HTTP: ServiceRequestClosed (R-CB-8, special events) and
RenovationCompleted (R-CB-6) through the outbox; a second close is refused."""

from __future__ import annotations

import pytest

from tests.intake.integration.support import DESK_A, running_intake

pytestmark = pytest.mark.integration


async def test_service_request_and_renovation_events(database_url: str, kafka_bootstrap: str, unique: str) -> None:
    async with running_intake(database_url, kafka_bootstrap, unique) as svc:
        c = svc.client
        r = await c.post("/service-requests", headers=DESK_A, json={
            "estate_id": "E1", "request_id": "SR-1", "request_kind": "help", "channel": "walk_in",
            "requester_phone": "13800138000", "opened_at": "2026-03-02T09:00:00+08:00"})  # fmt: skip
        assert (r.status_code, r.json()["request_kind_zh"]) == (201, "求助")
        r = await c.post("/service-requests", headers=DESK_A, json={
            "estate_id": "E1", "request_kind": "repair", "opened_at": "2026-03-02T09:00:00+08:00"})  # fmt: skip
        assert (r.status_code, r.json()["errors"][0]["field"]) == (422, "request_kind")
        close = {"closed_at": "2026-03-02T10:00:00+08:00", "special_event": True, "result": "已协助搬运"}
        assert (await c.post("/service-requests/SR-1/close", headers=DESK_A, json=close)).status_code == 200
        r = await c.post("/service-requests/SR-1/close", headers=DESK_A, json=close)
        assert (r.status_code, r.json()["errors"][0]["code"]) == (422, "transition_refused")
        r = await c.post("/renovations", headers=DESK_A, json={
            "estate_id": "E1", "renovation_id": "RN-1", "unit_id": "T3-1502", "contractor": "美家装饰",
            "completed_at": "2026-03-05T17:00:00+08:00"})  # fmt: skip
        assert r.status_code == 201

        [closed] = await svc.published("intake.ServiceRequestClosed", 1)
        assert (closed.aggregate_id, closed.payload["request_kind"], closed.payload["special_event"]) == (
            "SR-1", "help", True,
        )  # fmt: skip
        assert closed.payload["closed_at"] == "2026-03-02T02:00:00Z"
        [renovation] = await svc.published("intake.RenovationCompleted", 1)
        assert (renovation.payload["unit_id"], renovation.payload["completed_at"]) == (
            "T3-1502",
            "2026-03-05T09:00:00Z",
        )
        listed = (await c.get("/service-requests", headers=DESK_A, params={"status": "closed", "kind": "help"})).json()
        assert [i["record_id"] for i in listed["items"]] == ["SR-1"]
        detail = (await c.get("/renovations/RN-1", headers=DESK_A)).json()
        assert (detail["local"]["completed_at"], detail["history"][0]["change"]) == (
            "2026-03-05T17:00:00+08:00",
            "completed",
        )
