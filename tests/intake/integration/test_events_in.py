"""Events in: ERP messages on `erp.inbound` (deduplicated by the ERP's id, invalid ones dead-lettered
with their reason while the rest flow on), ComplaintReopened (R-CB-10), ComplaintRaisedDuringCallback
(R-CB-9)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import asyncpg
import pytest
from huifang_contracts.callback import ComplaintReopened
from huifang_contracts.enums import StaffRole
from huifang_contracts.envelope import Envelope, read_header
from huifang_contracts.survey import ComplaintRaisedDuringCallback

from tests.intake.integration.support import DESK_A, complaint, running_intake
from tests.support.backbone import wait_for
from tests.support.kafka import produce, read_records

pytestmark = pytest.mark.integration


def erp(kind: str, erp_id: str, data: dict[str, Any], estate: str = "E1") -> bytes:
    message = {"format_version": 1, "kind": kind, "erp_system": "mingyuan", "erp_id": erp_id,
               "group_id": "G1", "estate_id": estate, "data": data}  # fmt: skip
    return json.dumps(message, ensure_ascii=False).encode()


ORDER = {"category": "给排水", "department": "engineering", "requester_phone": "13800138000",
         "requested_at": "2026-03-02T09:05:00+08:00", "closed_at": "2026-03-02T16:40:00+08:00"}  # fmt: skip


async def test_erp_messages_dedupe_by_erp_id_and_poison_goes_to_the_dead_letter_topic(
    database_url: str, kafka_bootstrap: str, unique: str
) -> None:
    async with running_intake(database_url, kafka_bootstrap, unique) as svc:
        topic = svc.runtime.catalogue.name("erp.inbound")
        resolved = {
            "category": "公共区域", "description": "楼道灯不亮", "received_at": "2026-03-01T08:00:00Z",
            "validity": "valid", "department": "engineering", "resolved_at": "2026-03-02T08:00:00Z",
        }  # fmt: skip
        messages = [
            erp("order_closed", "A1", ORDER),
            erp("order_closed", "A1", ORDER),  # the ERP re-sent it
            erp("order_closed", "A2", ORDER | {"closed_at": "2026-03-02 16:40"}),  # no zone: poison
            b"not json at all",
            erp("order_closed", "A3", ORDER, estate="E404"),  # unknown estate: refused by the handler
            erp("complaint_resolved", "C1", resolved),  # registration never sent: accepted as it is
            erp("order_closed", "A4", ORDER),
        ]
        await produce(kafka_bootstrap, topic, [(b"E1", m) for m in messages])
        dead = await read_records(kafka_bootstrap, svc.runtime.catalogue.dead_letter_topic("intake"), 3, 60)
        reasons = sorted(
            (read_header(d.headers, "dlq.reason"), read_header(d.headers, "dlq.error.class")) for d in dead
        )
        assert reasons == [("handler_error", "UnknownEstate"), ("invalid", "ErpMessageInvalid"),
                           ("invalid", "JSONDecodeError")]  # fmt: skip
        closed = await svc.published("intake.OrderClosed", 2)
        assert sorted(e.aggregate_id for e in closed) == ["mingyuan-A1", "mingyuan-A4"]
        assert closed[0].payload["erp_id"] in ("A1", "A4") and closed[0].payload["channel"] == "erp"
        [registered] = await svc.published("intake.ComplaintRegistered", 1)
        [resolution] = await svc.published("intake.ComplaintResolved", 1)
        assert (registered.aggregate_id, resolution.payload["erp_id"]) == ("mingyuan-C1", "C1")
        assert resolution.causation_id == registered.causation_id  # both caused by the one ERP message
        total = (await svc.client.get("/orders", headers=DESK_A)).json()["total"]
        assert total == 2


async def test_complaint_reopened_and_raised_during_callback(
    database_url: str, kafka_bootstrap: str, unique: str
) -> None:
    async with running_intake(database_url, kafka_bootstrap, unique) as svc:
        c = svc.client
        assert (await c.post("/complaints", headers=DESK_A, json=complaint(complaint_id="CP-1"))).status_code == 201
        r = await c.post("/complaints/CP-1/resolve", headers=DESK_A, json={
            "validity": "valid", "department": "engineering", "accepted_by_requester": True,
            "resolved_at": "2026-03-04T10:00:00+08:00"})  # fmt: skip
        assert r.status_code == 200
        now = datetime(2026, 3, 6, 3, 0, tzinfo=UTC)
        reopened = Envelope.wrap(
            ComplaintReopened(complaint_id="CP-1", callback_id="cb-1", round=2, reason="仍有异响"),
            group_id="G1", estate_id="E1", aggregate_id="cb-1", producer="callback", occurred_at=now,
        )  # fmt: skip
        raised = Envelope.wrap(
            ComplaintRaisedDuringCallback(issue_id="iss-1", callback_id="cb-1", description="地下车库照明不足",
                                          category="公共区域", subcategory="照明", requester_phone="13800138000",
                                          recorded_by="stf-zhao", escalate_to_role=StaffRole.OFFICE_MANAGER),
            group_id="G1", estate_id="E1", aggregate_id="cb-1", producer="survey", occurred_at=now,
        )  # fmt: skip
        for envelope in (reopened, raised):
            topic = svc.runtime.catalogue.topic_for(envelope.type)
            await produce(kafka_bootstrap, topic, [(envelope.kafka_key(), envelope.to_bytes())] * 2)  # sent twice

        async def reopened_in_db() -> bool:
            r = await c.get("/complaints/CP-1", headers=DESK_A)
            return bool(r.json()["status"] == "in_progress")

        await wait_for(reopened_in_db, 30)
        detail = (await c.get("/complaints/CP-1", headers=DESK_A)).json()
        assert (detail["round"], [h["change"] for h in detail["history"]]) == (
            2,
            ["registered", "resolved", "reopened"],
        )
        registered = await svc.published("intake.ComplaintRegistered", 2)
        from_callback = next(e for e in registered if e.aggregate_id == "CB-iss-1")
        assert (from_callback.payload["channel"], from_callback.payload["origin_callback_id"]) == ("callback", "cb-1")
        assert (from_callback.causation_id, from_callback.correlation_id) == (raised.event_id, raised.correlation_id)
        new = (await c.get("/complaints/CB-iss-1", headers=DESK_A)).json()
        assert (new["channel_zh"], new["escalate_to_role"], new["subcategory"]) == ("回访", "office_manager", "照明")
        conn = await asyncpg.connect(database_url)
        try:
            assert await conn.fetchval("SELECT count(*) FROM records WHERE record_type = 'complaint'") == 2
        finally:
            await conn.close()
