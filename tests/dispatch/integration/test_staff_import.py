"""The staff directory's CSV import: all rows or none, new ids registered, known ones updated."""

from __future__ import annotations

import pytest
from huifang_contracts.envelope import Envelope
from huifang_dispatch.entrypoints.api import create_app
from huifang_infra.auth import Role

from tests.dispatch.support import GROUP, FakeClock, settings
from tests.support.kafka import read_records
from tests.support.service import bearer, running_service

pytestmark = pytest.mark.integration

ADMIN = bearer(Role.office_manager, GROUP, ["E1"])
HEADER = "staff_id,estate_id,name,role,department,phone,door_visits,active\n"


def upload(text: str) -> dict[str, tuple[str, bytes, str]]:
    return {"file": ("staff.csv", ("\ufeff" + text).encode(), "text/csv")}


async def test_csv_import_is_all_or_nothing(database_url: str, kafka_bootstrap: str, unique: str) -> None:
    app = create_app(settings(database_url, kafka_bootstrap, unique), clock=FakeClock())
    runtime = app.state.runtime
    async with running_service(app) as client:
        bad = HEADER + "s1,E1,李娜,service_center_staff,service,13800000001,是,1\ns2,E1,王强,janitor,,,0,1\n"
        refused = await client.post("/staff/import", files=upload(bad), headers=ADMIN)
        assert refused.status_code == 422 and refused.json()["errors"][0]["loc"] == ["line 3.role"]
        assert (await client.get("/staff", headers=ADMIN)).json() == []  # nothing written

        good = (
            HEADER
            + "s1,E1,李娜,service_center_staff,service,13800000001,是,1\ns2,E1,王强,site_captain,engineering,,0,1\n"
        )
        report = await client.post("/staff/import", files=upload(good), headers=ADMIN)
        assert report.json() == {"registered": ["s1", "s2"], "updated": []}
        again = HEADER + "s2,E1,王强,department_head,engineering,,0,0\n"
        assert (await client.post("/staff/import", files=upload(again), headers=ADMIN)).json() == {
            "registered": [],
            "updated": ["s2"],
        }
        staff = {s["staff_id"]: s for s in (await client.get("/staff", headers=ADMIN)).json()}
        assert (staff["s1"]["door_visits"], staff["s1"]["role_zh"]) == (True, "服务中心人员")
        assert (staff["s2"]["role"], staff["s2"]["active"]) == ("department_head", False)
        records = await read_records(kafka_bootstrap, runtime.catalogue.topic_for("dispatch.StaffRegistered"), 3)
        announced = [
            (e.payload["staff_id"], e.payload["role"]) for e in map(Envelope.from_bytes, (r.value for r in records))
        ]
        assert sorted(announced) == [("s1", "service_center_staff"), ("s2", "department_head"), ("s2", "site_captain")]
