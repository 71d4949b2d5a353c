"""Compatibility: a new version may only add optional properties to the previous one."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from huifang_contracts.compat import breaking_changes
from huifang_contracts.registry import REGISTRY
from huifang_contracts.schemagen import event_schema

from tests.contracts.support import SCHEMAS_DIR, load_json

pytestmark = pytest.mark.unit

BASE: dict[str, Any] = {
    "type": "object",
    "properties": {
        "order_id": {"type": "string"},
        "kind": {"$ref": "#/$defs/Kind"},
        "note": {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None},
        "materials": {"type": "array", "items": {"$ref": "#/$defs/Material"}},
    },
    "required": ["order_id", "kind"],
    "$defs": {
        "Kind": {"type": "string", "enum": ["repair", "complaint"]},
        "Material": {
            "type": "object",
            "properties": {"name": {"type": "string"}, "quantity": {"type": "number"}},
            "required": ["name"],
        },
    },
}


def changed(edit: Any) -> dict[str, Any]:
    schema = copy.deepcopy(BASE)
    edit(schema)
    return schema


def test_identical_schemas_are_compatible() -> None:
    assert breaking_changes(BASE, copy.deepcopy(BASE)) == []


def test_adding_an_optional_property_is_compatible() -> None:
    new = changed(lambda s: s["properties"].update(fee={"type": "integer", "default": None}))
    assert breaking_changes(BASE, new) == []


def test_widening_is_compatible_nullable_new_enum_value_integer_to_number() -> None:
    def widen(s: dict[str, Any]) -> None:
        s["properties"]["order_id"] = {"anyOf": [{"type": "string"}, {"type": "null"}]}
        s["$defs"]["Kind"]["enum"].append("help")

    assert breaking_changes(BASE, changed(widen)) == []
    old = {"type": "object", "properties": {"n": {"type": "integer"}}}
    assert breaking_changes(old, {"type": "object", "properties": {"n": {"type": "number"}}}) == []


def test_a_removed_property_is_rejected() -> None:
    new = changed(lambda s: s["properties"].pop("note"))
    assert breaking_changes(BASE, new) == ["$.note: property removed"]


def test_a_new_required_property_is_rejected() -> None:
    def add_required(s: dict[str, Any]) -> None:
        s["properties"]["fee"] = {"type": "integer"}
        s["required"].append("fee")

    assert breaking_changes(BASE, changed(add_required)) == [
        "$.fee: new property is required (new properties must be optional)"
    ]


def test_an_optional_property_becoming_required_is_rejected() -> None:
    new = changed(lambda s: s["required"].append("note"))
    assert breaking_changes(BASE, new) == ["$.note: optional property became required"]


def test_a_type_change_is_rejected() -> None:
    new = changed(lambda s: s["properties"].update(order_id={"type": "integer"}))
    assert breaking_changes(BASE, new) == ["$.order_id: type changed from ['string'] to ['integer']"]


def test_a_removed_enum_value_is_rejected() -> None:
    new = changed(lambda s: s["$defs"]["Kind"]["enum"].remove("complaint"))
    assert breaking_changes(BASE, new) == ["$.kind: values removed: ['complaint']"]


def test_changes_inside_nested_definitions_and_array_items_are_found() -> None:
    def edit(s: dict[str, Any]) -> None:
        s["$defs"]["Material"]["required"].append("quantity")
        s["$defs"]["Material"]["properties"]["name"] = {"type": "boolean"}

    assert breaking_changes(BASE, changed(edit)) == [
        "$.materials[].name: type changed from ['string'] to ['boolean']",
        "$.materials[].quantity: optional property became required",
    ]


def test_order_closed_v2_only_adds_the_optional_materials() -> None:
    v1 = load_json(SCHEMAS_DIR / "intake.OrderClosed.v1.json")
    v2 = load_json(SCHEMAS_DIR / "intake.OrderClosed.v2.json")
    assert set(v2["properties"]) - set(v1["properties"]) == {"materials"}
    assert "materials" not in v2["required"]
    assert breaking_changes(v1, v2) == []


@pytest.mark.parametrize("cls", REGISTRY.all_versions(), ids=lambda cls: cls.schema_name())
def test_every_model_is_compatible_with_the_checked_in_schemas(cls: Any) -> None:
    """Against its own checked-in version (no edit in place) and the previous version (additive only)."""
    current = event_schema(cls)
    for version in (cls.VERSION, cls.VERSION - 1):
        path = SCHEMAS_DIR / f"{cls.TYPE}.v{version}.json"
        if version >= 1:
            assert path.exists(), f"{path.name} must stay checked in"
            assert breaking_changes(load_json(path), current) == [], path.name
