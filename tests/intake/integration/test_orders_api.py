"""Work orders over HTTP: every transition, OrderClosed through the outbox, 422s that name the field,
scope (a token for estate E1 cannot read or write E2), and the full history of one order."""

from __future__ import annotations

import asyncio

import pytest

from tests.intake.integration.support import ADMIN, DESK_A, DESK_B, closed_order, running_intake

pytestmark = pytest.mark.integration


async def test_order_lifecycle_publishes_order_closed_with_history(
    database_url: str, kafka_bootstrap: str, unique: str
) -> None:
    async with running_intake(database_url, kafka_bootstrap, unique) as svc:
        c = svc.client
        r = await c.post("/orders", headers=DESK_A, json={
            "estate_id": "E1", "order_id": "WO-1", "category": "给排水", "requester_phone": "138-0013-8000",
            "emergency": True, "requested_at": "2026-03-02T09:05:00+08:00"})  # fmt: skip
        assert r.status_code == 201, r.text
        assert (r.json()["status"], r.json()["status_zh"], r.json()["requester_phone"]) == (
            "created", "已创建", "+8613800138000",
        )  # fmt: skip
        # Closing before sign-off is refused, naming the status and what is allowed.
        r = await c.post("/orders/WO-1/close", headers=DESK_A, json={"closed_at": "2026-03-02T17:00:00+08:00"})
        assert r.status_code == 422
        refused = {"field": "status", "code": "transition_refused",
                   "reason": "order is created; close is allowed only from signed_off"}  # fmt: skip
        assert r.json()["errors"] == [refused]
        steps = [
            ("dispatch", {"department": "engineering", "dispatched_at": "2026-03-02T09:20:00+08:00"}),
            ("complete", {"worker_id": "stf-wang", "fee_cents": 3000, "completed_at": "2026-03-02T11:00:00+08:00",
                          "materials": [{"name": "水龙头", "quantity": 1, "source": "owner", "verified": True}]}),
            ("sign-off", {"signed_off_at": "2026-03-02T11:05:00+08:00"}),
            ("close", {"closed_at": "2026-03-02T11:10:00+08:00"}),
        ]  # fmt: skip
        for step, body in steps:
            r = await c.post(f"/orders/WO-1/{step}", headers=DESK_A, json=body)
            assert r.status_code == 200, (step, r.text)
        assert r.json()["status"] == "closed"

        [event] = await svc.published("intake.OrderClosed", 1)
        assert (event.estate_id, event.group_id, event.aggregate_id) == ("E1", "G1", "WO-1")
        p = event.payload
        assert (p["department"], p["worker_id"], p["fee_cents"], p["emergency"], p["signed_off"]) == (
            "engineering", "stf-wang", 3000, True, True,
        )  # fmt: skip
        assert (p["requester_phone"], p["closed_at"]) == ("+8613800138000", "2026-03-02T03:10:00Z")
        assert p["materials"][0]["source"] == "owner" and p["materials"][0]["verified"] is True

        detail = (await c.get("/orders/WO-1", headers=DESK_A)).json()
        assert [h["change"] for h in detail["history"]] == [
            "created",
            "dispatched",
            "completed",
            "signed_off",
            "closed",
        ]
        assert detail["local"]["closed_at"] == "2026-03-02T11:10:00+08:00"  # shown in the estate's zone
        assert detail["closed_at"] == "2026-03-02T03:10:00Z"  # stored UTC


async def test_bad_input_names_the_field_and_scope_separates_estates(
    database_url: str, kafka_bootstrap: str, unique: str
) -> None:
    async with running_intake(database_url, kafka_bootstrap, unique) as svc:
        c = svc.client
        r = await c.post("/orders/closed", headers=ADMIN, json=closed_order(estate_id="E9"))
        assert (r.status_code, r.json()["errors"][0]["field"], r.json()["errors"][0]["code"]) == (
            422, "estate_id", "unknown_estate",
        )  # fmt: skip
        r = await c.post("/orders/closed", headers=DESK_A, json=closed_order(closed_at="2026-03-02T16:40:00"))
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "closed_at"
        assert "timezone" in r.json()["errors"][0]["reason"]
        r = await c.post("/orders/closed", headers=DESK_A, json=closed_order(requester_phone="no phone"))
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "requester_phone"

        # A token for E1 cannot write E2 …
        r = await c.post("/orders/closed", headers=DESK_A, json=closed_order(estate_id="E2", order_id="WO-B"))
        assert r.status_code == 403
        r = await c.post("/orders/closed", headers=DESK_B, json=closed_order(estate_id="E2", order_id="WO-B"))
        assert r.status_code == 201
        r = await c.post("/orders/closed", headers=DESK_A, json=closed_order(order_id="WO-A"))
        assert r.status_code == 201
        # … nor read it, by list, by estate filter, by id, or change it.
        listed = (await c.get("/orders", headers=DESK_A)).json()
        assert [i["record_id"] for i in listed["items"]] == ["WO-A"] and listed["total"] == 1
        assert listed["items"][0]["requester_phone"] == "138****8000"  # masked in lists
        assert (await c.get("/orders", params={"estate_id": "E2"}, headers=DESK_A)).status_code == 403
        assert (await c.get("/orders/WO-B", headers=DESK_A)).status_code == 404
        r = await c.post("/orders/WO-B/close", headers=DESK_A, json={"closed_at": "2026-03-03T00:00:00Z"})
        assert r.status_code == 404
        assert (await c.get("/orders", headers=ADMIN)).json()["total"] == 2
        assert (await c.get("/orders")).status_code == 401


async def test_idempotency_key_replays_the_first_response_and_refuses_another_body(
    database_url: str, kafka_bootstrap: str, unique: str
) -> None:
    async with running_intake(database_url, kafka_bootstrap, unique) as svc:
        c = svc.client
        headers = DESK_A | {"Idempotency-Key": "k-1"}
        first = await c.post("/orders/closed", headers=headers, json=closed_order())  # id assigned by the service
        again = await c.post("/orders/closed", headers=headers, json=closed_order())
        assert first.status_code == again.status_code == 201
        assert again.json() == first.json() and again.headers["Idempotent-Replayed"] == "true"
        other = await c.post("/orders/closed", headers=headers, json=closed_order(unit_id="T1-0101"))
        assert other.status_code == 409
        assert (await c.get("/orders", headers=DESK_A)).json()["total"] == 1
        # Five concurrent retries under one new key: one order, one answer for all.
        racing = DESK_A | {"Idempotency-Key": "k-race"}
        answers = await asyncio.gather(
            *(c.post("/orders/closed", headers=racing, json=closed_order()) for _ in range(5))
        )
        assert {r.status_code for r in answers} == {201}
        assert len({r.json()["order_id"] for r in answers}) == 1
        assert (await c.get("/orders", headers=DESK_A)).json()["total"] == 2
        # Without a key, the same body is another order.
        assert (await c.post("/orders/closed", headers=DESK_A, json=closed_order())).status_code == 201
        assert (await c.get("/orders", headers=DESK_A)).json()["total"] == 3
        # A retried command whose first attempt succeeded is answered from the key, not refused again.
        wo = {"estate_id": "E1", "order_id": "WO-K", "category": "给排水", "requested_at": "2026-03-02T09:05:00Z"}
        assert (await c.post("/orders", headers=DESK_A, json=wo)).status_code == 201
        dispatch = {"department": "engineering", "dispatched_at": "2026-03-02T09:10:00Z"}
        key2 = DESK_A | {"Idempotency-Key": "k-2"}
        assert (await c.post("/orders/WO-K/dispatch", headers=key2, json=dispatch)).status_code == 200
        r = await c.post("/orders/WO-K/sign-off", headers=DESK_A, json={"signed_off_at": "2026-03-02T09:20:00Z"})
        assert r.status_code == 422  # not completed: refused, and nothing is remembered without a key
        r = await c.post(
            "/orders/WO-K/complete", headers=key2, json={"worker_id": "w", "completed_at": "2026-03-02T10:00:00Z"}
        )
        assert r.status_code == 409  # the key belongs to the dispatch
        r = await c.post("/orders/WO-K/dispatch", headers=key2, json=dispatch)
        assert (r.status_code, r.json()["status"], r.headers["Idempotent-Replayed"]) == (200, "dispatched", "true")
        events = await svc.published("intake.OrderClosed", 3)
        assert first.json()["order_id"] in {e.aggregate_id for e in events}
        assert len({e.aggregate_id for e in events}) == 3
