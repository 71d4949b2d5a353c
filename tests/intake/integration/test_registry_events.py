"""Registry details are published for the other services' projections (issue 5, item 2): buildings, units
and departments of an estate, and the group's complaint categories, saved one by one or by the import.

Each event is written to the outbox in the transaction of its registry write, so a refused write
publishes nothing; a save that changes nothing publishes nothing either (the registry tells). An
estate's details travel under the estate's id (envelope estate_id and Kafka key); a category belongs
to the whole group and travels under "*".
"""

from __future__ import annotations

from typing import Any

import asyncpg
import pytest
from huifang_contracts.envelope import Envelope

from tests.intake.integration.support import ADMIN, DESK_A, Running, running_intake

pytestmark = pytest.mark.integration

DETAILS = ["intake.BuildingSaved", "intake.UnitSaved", "intake.DepartmentSaved", "intake.ComplaintCategoryAdded"]
ESTATES = ["intake.EstateRegistered", "intake.EstateUpdated"]

Outboxed = tuple[str, str, str, dict[str, Any]]


async def outboxed(database_url: str, types: list[str] = DETAILS) -> list[Outboxed]:
    """(type, estate_id, Kafka key, payload) of the outbox rows of these types in write order: exactly what
    the relay publishes, and nothing of a rolled-back write."""
    conn = await asyncpg.connect(database_url)
    try:
        rows = await conn.fetch("SELECT key, value FROM outbox WHERE event_type = ANY($1::text[]) ORDER BY id", types)
    finally:
        await conn.close()
    envelopes = [(bytes(r["key"]).decode(), Envelope.from_bytes(bytes(r["value"]))) for r in rows]
    return [(e.type, e.estate_id, key, e.payload) for key, e in envelopes]


async def on_kafka(svc: Running, event_type: str, count: int) -> list[tuple[str, Envelope]]:
    """(Kafka key, envelope) of the first `count` events of this type on the registry topic."""
    return [((key or b"").decode(), e) for key, e in await svc.published_keyed(event_type, count)]


async def test_each_registry_route_publishes_its_event_when_something_changed(
    database_url: str, kafka_bootstrap: str, unique: str
) -> None:
    async with running_intake(database_url, kafka_bootstrap, unique) as svc:
        c = svc.client
        building = {"building_id": "T1", "name": "1号楼"}
        unit = {"unit_id": "T1-0101", "building_id": "T1", "name": "1栋0101"}
        department = {"department_id": "engineering", "name_zh": "工程部", "name_en": "Engineering"}
        for path, body in [
            ("/registry/estates/E1/buildings", building),
            ("/registry/estates/E1/buildings", building),  # unchanged: nothing to publish
            ("/registry/estates/E1/buildings", building | {"name": "一号楼"}),
            ("/registry/estates/E1/units", unit),
            ("/registry/estates/E2/departments", department),
        ]:
            r = await c.put(path, headers=ADMIN, json=body)
            assert (r.status_code, r.json()) == (200, body)
        for body in [
            {"category": "公共区域", "subcategory": "垃圾房"},
            {"category": "公共区域", "subcategory": "垃圾房"},  # already there
            {"category": "安全"},
        ]:
            assert (await c.post("/registry/categories", headers=ADMIN, json=body)).status_code == 201

        # Refused writes: an unknown estate, a role that may not edit the registry, a value the model refuses.
        r = await c.put("/registry/estates/E9/buildings", headers=ADMIN, json=building)
        assert (r.status_code, r.json()["errors"][0]["code"]) == (422, "unknown_estate")
        assert (await c.put("/registry/estates/E1/units", headers=DESK_A, json=unit)).status_code == 403
        r = await c.put("/registry/estates/E1/units", headers=ADMIN, json={"unit_id": "T1-0102", "building_id": ""})
        assert (r.status_code, r.json()["errors"][0]["field"]) == (422, "building_id")
        assert (await c.post("/registry/categories", headers=DESK_A, json={"category": "其他"})).status_code == 403

        assert await outboxed(database_url) == [
            ("intake.BuildingSaved", "E1", "E1", building),
            ("intake.BuildingSaved", "E1", "E1", building | {"name": "一号楼"}),
            ("intake.UnitSaved", "E1", "E1", unit),
            ("intake.DepartmentSaved", "E2", "E2", department),
            ("intake.ComplaintCategoryAdded", "*", "*", {"category": "公共区域", "subcategory": "垃圾房"}),
            ("intake.ComplaintCategoryAdded", "*", "*", {"category": "安全", "subcategory": None}),
        ]
        buildings = await on_kafka(svc, "intake.BuildingSaved", 2)
        assert [(key, e.group_id, e.estate_id, e.aggregate_id, e.payload["name"]) for key, e in buildings] == [
            ("E1", "G1", "E1", "E1", "1号楼"),
            ("E1", "G1", "E1", "E1", "一号楼"),
        ]
        [(key, saved_unit)] = await on_kafka(svc, "intake.UnitSaved", 1)
        assert (key, saved_unit.group_id, saved_unit.estate_id, saved_unit.payload) == ("E1", "G1", "E1", unit)
        [(key, saved_department)] = await on_kafka(svc, "intake.DepartmentSaved", 1)
        assert (key, saved_department.group_id, saved_department.estate_id, saved_department.payload) == (
            "E2", "G1", "E2", department,
        )  # fmt: skip
        added = await on_kafka(svc, "intake.ComplaintCategoryAdded", 2)
        assert [(key, e.group_id, e.estate_id, e.aggregate_id, e.payload) for key, e in added] == [
            ("*", "G1", "*", "G1", {"category": "公共区域", "subcategory": "垃圾房"}),
            ("*", "G1", "*", "G1", {"category": "安全", "subcategory": None}),
        ]
        assert {e.producer for _, e in buildings + added} == {"intake"}


REGISTRY_YAML = """
categories:
  - {category: 公共区域, subcategory: 垃圾房}
estates:
  - estate_id: E3
    name: 天下城
    buildings: [{building_id: T1, name: 1号楼}]
    units: [{unit_id: T1-0101, building_id: T1}]
    departments: [{department_id: engineering, name_zh: 工程部}]
  - estate_id: E4
    name: 空楼号
    units: [{unit_id: X-1, building_id: ""}]
"""


async def test_the_registry_import_publishes_what_the_routes_publish(
    database_url: str, kafka_bootstrap: str, unique: str
) -> None:
    async with running_intake(database_url, kafka_bootstrap, unique) as svc:
        c = svc.client
        headers = ADMIN | {"Content-Type": "application/yaml"}
        for _ in range(2):  # the second import changes no detail: only the estate is published again
            r = await c.post("/registry/import", headers=headers, content=REGISTRY_YAML)
            assert r.status_code == 200, r.text
            assert r.json()["saved"] == ["E3"]
            assert [(e["row"], e["field"]) for e in r.json()["errors"]] == [(2, "building_id")]
        r = await c.put("/registry/estates/E3/buildings", headers=ADMIN, json={"building_id": "T1", "name": "1号楼"})
        assert r.status_code == 200  # the route sees the imported row: unchanged, nothing published

        department = {"department_id": "engineering", "name_zh": "工程部", "name_en": None}
        expected = [
            ("intake.ComplaintCategoryAdded", "*", "*", {"category": "公共区域", "subcategory": "垃圾房"}),
            ("intake.BuildingSaved", "E3", "E3", {"building_id": "T1", "name": "1号楼"}),
            ("intake.UnitSaved", "E3", "E3", {"unit_id": "T1-0101", "building_id": "T1", "name": None}),
            ("intake.DepartmentSaved", "E3", "E3", department),
        ]
        assert await outboxed(database_url) == expected
        # The refused entry E4 left no estate and no detail behind.
        assert not [row for row in await outboxed(database_url, ESTATES + DETAILS) if row[1] == "E4"]

        # A category the event cannot carry refuses the whole import: the category written before it and
        # that category's event roll back together.
        too_long = "长" * 201
        categories = f"categories: [{{category: 绿化, subcategory: 草坪}}, {{category: 绿化, subcategory: {too_long}}}]"
        r = await c.post("/registry/import", headers=headers, content=categories)
        assert r.status_code == 422, r.text
        assert "草坪" not in (await c.get("/registry/categories", headers=ADMIN)).json()["绿化"]
        assert await outboxed(database_url) == expected

        for event_type, estate_id, _, payload in expected:
            [(key, envelope)] = await on_kafka(svc, event_type, 1)
            assert (key, envelope.estate_id, envelope.group_id) == (estate_id, estate_id, "G1")
            assert envelope.payload == payload
        [updated] = await svc.published("intake.EstateUpdated", 1)
        assert updated.estate_id == "E3"
