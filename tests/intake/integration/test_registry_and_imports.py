"""The estate registry (admin API, YAML/CSV import, events for other services) and the batch import of
ERP exports (JSON lines and CSV: good rows accepted, each bad row reported, re-imports deduplicated)."""

from __future__ import annotations

import json

import pytest

from tests.intake.integration.support import ADMIN, DESK_A, running_intake

pytestmark = pytest.mark.integration

REGISTRY_YAML = """
group: {name_zh: 兰亭物业集团, name_en: Lanting Property Group}
estates:
  - estate_id: E3
    name: 天下城
    estate_type: commercial
    preset: commercial
    region: 深圳
    timezone: Asia/Shanghai
    household_count: 1200
    buildings: [{building_id: T1, name: 1号楼}]
    units: [{unit_id: T1-0101, building_id: T1}]
    departments: [{department_id: engineering, name_zh: 工程部, name_en: Engineering}]
  - estate_id: E4
    name: 坏时区
    timezone: Mars/Olympus
categories:
  - {category: 公共区域, subcategory: 垃圾房}
"""


async def test_registry_admin_and_import_publish_estate_events(
    database_url: str, kafka_bootstrap: str, unique: str
) -> None:
    async with running_intake(database_url, kafka_bootstrap, unique) as svc:
        c = svc.client
        r = await c.post("/registry/estates", headers=ADMIN, json={"estate_id": "E1", "name": "again"})
        assert r.status_code == 409
        r = await c.post(
            "/registry/estates", headers=ADMIN, json={"estate_id": "E5", "name": "x", "timezone": "Nowhere"}
        )
        assert (r.status_code, r.json()["errors"][0]["field"]) == (422, "timezone")
        assert (
            await c.post("/registry/estates", headers=DESK_A, json={"estate_id": "E1", "name": "x"})
        ).status_code == 403
        r = await c.put("/registry/estates/E1", headers=ADMIN, json={"estate_id": "E1", "name": "南苑", "zone": "东区"})
        assert r.status_code == 200

        r = await c.post(
            "/registry/import", headers=ADMIN | {"Content-Type": "application/yaml"}, content=REGISTRY_YAML
        )
        assert r.status_code == 200, r.text
        assert r.json()["saved"] == ["E3"]
        assert [(e["row"], e["field"]) for e in r.json()["errors"]] == [(2, "timezone")]
        csv_text = (
            "estate_id,name,estate_type,region,household_count\nE1,南苑,residential,上海,800\nE6,,residential,,\n"
        )
        r = await c.post("/registry/import", headers=ADMIN | {"Content-Type": "text/csv"}, content=csv_text)
        assert r.json()["saved"] == ["E1"] and r.json()["errors"][0]["field"] == "name"

        e3 = (await c.get("/registry/estates/E3", headers=ADMIN)).json()
        assert (e3["estate_type"], e3["units"][0]["unit_id"], e3["departments"][0]["name_zh"]) == (
            "commercial", "T1-0101", "工程部",
        )  # fmt: skip
        assert "垃圾房" in (await c.get("/registry/categories", headers=ADMIN)).json()["公共区域"]
        assert (await c.get("/registry/group", headers=DESK_A)).json()["name_zh"] == "兰亭物业集团"
        assert [e["estate_id"] for e in (await c.get("/registry/estates", headers=DESK_A)).json()] == ["E1"]

        registered = await svc.published("intake.EstateRegistered", 3)
        assert sorted(e.estate_id for e in registered) == ["E1", "E2", "E3"]
        e3_event = next(e for e in registered if e.estate_id == "E3")
        assert (e3_event.payload["preset"], e3_event.payload["household_count"]) == ("commercial", 1200)
        updated = await svc.published("intake.EstateUpdated", 2)
        assert [(e.estate_id, e.payload.get("zone"), e.payload.get("household_count")) for e in updated] == [
            ("E1", "东区", None), ("E1", None, 800),
        ]  # fmt: skip


def line(erp_id: str, **data: object) -> str:
    body = {"category": "给排水", "department": "engineering", "requester_phone": "13800138000",
            "requested_at": "2026-03-02T09:05:00+08:00", "closed_at": "2026-03-02T16:40:00+08:00"} | data  # fmt: skip
    return json.dumps({"format_version": 1, "kind": "order_closed", "erp_system": "mingyuan", "erp_id": erp_id,
                       "estate_id": "E1", "data": body}, ensure_ascii=False)  # fmt: skip


async def test_batch_import_accepts_good_rows_and_reports_bad_ones(
    database_url: str, kafka_bootstrap: str, unique: str
) -> None:
    async with running_intake(database_url, kafka_bootstrap, unique) as svc:
        c = svc.client
        text = "\n".join([
            line("B1"),
            line("B2", closed_at="2026-03-02T16:40:00"),  # no zone
            "{oops",
            line("B3", requester_phone="12"),  # not a phone
            line("B1"),  # the same ERP id again
            json.loads(json.dumps(line("B4"))).replace('"E1"', '"E2"'),  # outside the desk's estates
            line("B5", materials=[{"name": "龙头", "quantity": 1, "source": "owner"}]),  # not verified
            line("B6"),
        ])  # fmt: skip
        headers = DESK_A | {"Content-Type": "application/x-ndjson"}
        r = await c.post("/imports/erp", headers=headers, content=text.encode())
        assert r.status_code == 200, r.text
        body = r.json()
        assert (body["applied"], body["duplicate"], body["error"]) == (2, 1, 5)
        outcome = {row["row"]: (row["status"], row.get("field")) for row in body["rows"]}
        assert outcome == {
            1: ("applied", None), 2: ("error", "data.closed_at"), 3: ("error", "line"),
            4: ("error", "data.requester_phone"), 5: ("duplicate", None), 6: ("error", "estate_id"),
            7: ("error", "materials[0].verified"), 8: ("applied", None),
        }  # fmt: skip
        csv_text = (
            "kind,erp_system,erp_id,estate_id,category,department,requested_at,closed_at,emergency\n"
            "order_closed,mingyuan,B1,E1,给排水,engineering,2026-03-02T09:05:00+08:00,2026-03-02T16:40:00+08:00,\n"
            "order_closed,mingyuan,B7,E1,给排水,engineering,2026-03-02T09:05:00+08:00,2026-03-02T16:40:00+08:00,true\n"
        )
        files = {"file": ("erp-export.csv", csv_text.encode(), "text/csv")}  # a multipart upload
        r = await c.post("/imports/erp", headers=DESK_A, files=files)
        assert [(row["row"], row["status"]) for row in r.json()["rows"]] == [(2, "duplicate"), (3, "applied")]
        listed = (await c.get("/orders", headers=DESK_A)).json()
        assert sorted(i["record_id"] for i in listed["items"]) == ["mingyuan-B1", "mingyuan-B6", "mingyuan-B7"]
        closed = await svc.published("intake.OrderClosed", 3)
        assert {e.aggregate_id: e.payload["emergency"] for e in closed}["mingyuan-B7"] is True
