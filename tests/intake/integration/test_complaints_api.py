"""Complaints over HTTP: category checked against the registry, resolution only when accepted (R-CB-10),
ComplaintRegistered/ComplaintResolved through the outbox, queries filtered and paged."""

from __future__ import annotations

import pytest

from tests.intake.integration.support import ADMIN, DESK_A, QUALITY, complaint, running_intake

pytestmark = pytest.mark.integration


async def test_complaint_lifecycle_and_queries(database_url: str, kafka_bootstrap: str, unique: str) -> None:
    async with running_intake(database_url, kafka_bootstrap, unique) as svc:
        c = svc.client
        r = await c.post("/complaints", headers=DESK_A, json=complaint(category="宠物"))
        assert r.status_code == 422
        assert r.json()["errors"][0] | {"reason": ""} == {"field": "category", "code": "unknown_category", "reason": ""}
        # The group extends its categories; then the same complaint is accepted.
        assert (await c.post("/registry/categories", headers=ADMIN, json={"category": "宠物"})).status_code == 201
        assert (
            await c.post("/complaints", headers=DESK_A, json=complaint(category="宠物", complaint_id="CP-0"))
        ).status_code == 201

        r = await c.post("/complaints", headers=DESK_A, json=complaint(complaint_id="CP-1"))
        assert r.status_code == 201 and r.json()["grade_zh"] == "重要"
        for i in range(2, 5):
            body = complaint(complaint_id=f"CP-{i}", grade="general", received_at=f"2026-03-0{i}T10:00:00+08:00")
            assert (await c.post("/complaints", headers=DESK_A, json=body)).status_code == 201
        for i in range(5):
            r = await c.post("/complaints/CP-1/follow-ups", headers=DESK_A,
                             json={"note": f"第{i + 1}次跟进", "at": "2026-03-03T09:00:00+08:00"})  # fmt: skip
            assert r.status_code == 200
        r = await c.post("/complaints/CP-1/follow-ups", headers=DESK_A,
                         json={"note": "第6次", "at": "2026-03-03T09:00:00+08:00"})  # fmt: skip
        assert (r.status_code, r.json()["errors"][0]["field"]) == (422, "follow_ups")
        resolve = {"result": "已维修电梯导轨", "department": "engineering", "validity": "valid",
                   "resolved_at": "2026-03-04T10:00:00+08:00"}  # fmt: skip
        r = await c.post("/complaints/CP-1/resolve", headers=DESK_A, json=resolve | {"accepted_by_requester": False})
        assert (r.status_code, r.json()["errors"][0]["field"]) == (422, "accepted_by_requester")
        r = await c.post("/complaints/CP-1/resolve", headers=DESK_A, json=resolve | {"accepted_by_requester": True})
        assert r.status_code == 200 and r.json()["status_zh"] == "关闭"
        r = await c.post("/complaints/CP-2/pause", headers=DESK_A, json={"at": "2026-03-05T10:00:00+08:00"})
        assert r.json()["status"] == "paused"

        registered = await svc.published("intake.ComplaintRegistered", 5)
        assert sorted(e.aggregate_id for e in registered) == ["CP-0", "CP-1", "CP-2", "CP-3", "CP-4"]
        [resolved] = await svc.published("intake.ComplaintResolved", 1)
        p = resolved.payload
        assert (p["complaint_id"], p["grade"], p["validity"], p["round"], p["accepted_by_requester"]) == (
            "CP-1", "important", "valid", 1, True,
        )  # fmt: skip
        assert (p["category"], p["subcategory"], p["requester_phone"]) == ("公共区域", "电梯", "+8613800138000")

        async def ids(**params: object) -> list[str]:
            r = await c.get("/complaints", headers=QUALITY, params=params)
            assert r.status_code == 200, r.text
            return [item["record_id"] for item in r.json()["items"]]

        assert await ids(status="closed") == ["CP-1"]
        assert await ids(status="paused") == ["CP-2"]
        assert await ids(grade="general", category="公共区域") == ["CP-4", "CP-3", "CP-2"]  # newest first
        assert await ids(grade="general", page_size=2, page=2) == ["CP-2"]
        assert await ids(**{"from": "2026-03-03T00:00:00+08:00", "to": "2026-03-04T00:00:00+08:00"}) == ["CP-3"]
        page = (await c.get("/complaints", headers=QUALITY, params={"page_size": 2})).json()
        assert (page["total"], len(page["items"]), page["items"][0]["requester_phone"]) == (5, 2, "138****8000")
        # Reading is allowed to the quality department; writing is not.
        r = await c.post("/complaints", headers=QUALITY, json=complaint(complaint_id="CP-9"))
        assert r.status_code == 403
        detail = (await c.get("/complaints/CP-1", headers=QUALITY)).json()
        assert [h["change"] for h in detail["history"]] == ["registered"] + ["followed_up"] * 5 + ["resolved"]
        assert len(detail["follow_ups"]) == 5 and detail["requester_phone"] == "+8613800138000"
