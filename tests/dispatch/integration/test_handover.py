"""R-OP-3: handover signed by both; open items carry over until closed; important ones block unless escalated."""

from __future__ import annotations

import pytest
from huifang_dispatch.entrypoints.api import create_app
from huifang_infra.auth import Role

from tests.dispatch.support import GROUP, FakeClock, settings
from tests.support.service import bearer, running_service

pytestmark = pytest.mark.integration


def person(sub: str) -> dict[str, str]:
    return bearer(Role.receptionist, GROUP, ["E1"], sub=sub)


async def test_handover_carries_open_items_and_refuses_an_open_important_one(
    database_url: str, kafka_bootstrap: str, unique: str
) -> None:
    app = create_app(settings(database_url, kafka_bootstrap, unique), clock=FakeClock())
    async with running_service(app) as client:
        for sub in ("li", "wang", "zhao"):
            body = {"staff_id": sub, "estate_id": "E1", "name": sub, "role": "receptionist"}
            assert (await client.post("/staff", json=body, headers=bearer(Role.admin, GROUP, ["*"]))).status_code == 201
        first = await client.post(
            "/handovers",
            headers=person("li"),
            json={
                "estate_id": "E1",
                "incoming_id": "wang",
                "new_items": [{"title": "3栋电梯待修"}, {"title": "快递柜钥匙"}],
            },
        )
        assert first.status_code == 201, first.text
        assert [i["title"] for i in first.json()["carried"]] == ["3栋电梯待修", "快递柜钥匙"]
        assert first.json()["status"] == "awaiting_incoming"
        handover_id = first.json()["handover_id"]
        assert (await client.post(f"/handovers/{handover_id}/sign", headers=person("zhao"))).status_code == 403
        signed = await client.post(f"/handovers/{handover_id}/sign", headers=person("wang"))
        assert signed.json()["status"] == "completed" and signed.json()["incoming_signed_at"] is not None

        # Wang closes one item and opens an important one during the shift.
        key_item = first.json()["carried"][1]["item_id"]
        assert (
            await client.post(f"/handover-items/{key_item}/close", json={"note": "已归还"}, headers=person("wang"))
        ).status_code == 204
        urgent = await client.post(
            "/handover-items",
            params={"estate_id": "E1"},
            headers=person("wang"),
            json={"title": "业主投诉噪音，需回复", "important": True},
        )
        refused = await client.post(
            "/handovers", headers=person("wang"), json={"estate_id": "E1", "incoming_id": "zhao"}
        )
        assert refused.status_code == 409 and refused.json()["item_ids"] == [urgent.json()["item_id"]]
        assert (
            await client.post(
                f"/handover-items/{urgent.json()['item_id']}/escalate",
                headers=person("wang"),
                json={"escalated_to": "zhang", "note": "报主管"},
            )
        ).status_code == 204
        second = await client.post(
            "/handovers", headers=person("wang"), json={"estate_id": "E1", "incoming_id": "zhao"}
        )
        assert second.status_code == 201
        carried = {i["title"]: i["status"] for i in second.json()["carried"]}
        # The elevator item is still open: it carries over again; the closed key item does not.
        assert carried == {"3栋电梯待修": "open", "业主投诉噪音，需回复": "escalated"}
