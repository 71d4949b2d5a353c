"""decode(): every envelope becomes the latest version of its event, or a specific error."""

from __future__ import annotations

from typing import Any

import pytest
from huifang_contracts.base import IntegrationEvent
from huifang_contracts.enums import MaterialSource
from huifang_contracts.envelope import Envelope
from huifang_contracts.errors import EventInvalid, UnknownEventType, UnknownEventVersion
from huifang_contracts.intake import Material, OrderClosed
from huifang_contracts.registry import CURRENT, REGISTRY, Registry, decode
from huifang_contracts.superseded import OrderClosedV1, upcast_order_closed_v1_v2

from tests.contracts.support import example

pytestmark = pytest.mark.unit


def with_changes(envelope: Envelope, **changes: Any) -> Envelope:
    return envelope.model_copy(update=changes)


def test_a_current_version_decodes_to_its_model() -> None:
    event = decode(example("intake.OrderClosed.v2"))
    assert isinstance(event, OrderClosed)
    assert event.order_id == "WO-2026-000318"
    assert event.materials == [
        Material(name="PVC 排水管 DN50", quantity=2, unit="米", source=MaterialSource.COMPANY, verified=True)
    ]


def test_upcasting_reads_an_order_closed_v1_as_v2() -> None:
    v1 = example("intake.OrderClosed.v1")
    event = decode(v1)
    assert type(event) is OrderClosed
    assert event.VERSION == 2
    assert event.materials == []
    assert event.model_dump(exclude={"materials"}) == OrderClosedV1.model_validate(v1.payload).model_dump()


def test_upcast_v1_v2_sets_the_new_field_explicitly_and_keeps_the_rest() -> None:
    payload = {"order_id": "WO-1", "signed_off": True}
    assert upcast_order_closed_v1_v2(payload) == {"order_id": "WO-1", "signed_off": True, "materials": []}
    assert payload == {"order_id": "WO-1", "signed_off": True}, "the input is not mutated"


def test_an_unknown_type_raises_unknown_event_type() -> None:
    envelope = with_changes(example("intake.OrderClosed.v2"), type="intake.OrderReopened")
    with pytest.raises(UnknownEventType) as caught:
        decode(envelope)
    assert caught.value.event_type == "intake.OrderReopened"


def test_a_version_newer_than_the_reader_raises_unknown_event_version() -> None:
    envelope = with_changes(example("intake.OrderClosed.v2"), version=3)
    with pytest.raises(UnknownEventVersion, match=r"unknown version 3 of intake\.OrderClosed") as caught:
        decode(envelope)
    assert isinstance(caught.value, UnknownEventType)
    assert caught.value.version == 3


def test_an_invalid_payload_raises_event_invalid_with_pydantic_text() -> None:
    original = example("intake.OrderClosed.v2")
    envelope = with_changes(original, payload={**original.payload, "closed_at": "2026-03-02T16:40:00"})
    with pytest.raises(EventInvalid) as caught:
        decode(envelope)
    assert (caught.value.event_type, caught.value.version) == ("intake.OrderClosed", 2)
    assert "closed_at" in caught.value.detail
    assert "timezone" in caught.value.detail


def test_an_invalid_old_payload_is_reported_against_its_own_version() -> None:
    original = example("intake.OrderClosed.v1")
    payload = {key: value for key, value in original.payload.items() if key != "order_id"}
    with pytest.raises(EventInvalid) as caught:
        decode(with_changes(original, payload=payload))
    assert caught.value.version == 1
    assert "order_id" in caught.value.detail


def test_a_payload_with_an_unknown_field_is_invalid() -> None:
    original = example("intake.OrderClosed.v2")
    with pytest.raises(EventInvalid, match="orderid"):
        decode(with_changes(original, payload={**original.payload, "orderid": "typo"}))


def test_current_holds_exactly_the_latest_version_of_every_type() -> None:
    assert {cls.TYPE for cls in CURRENT} == set(REGISTRY.event_types())
    assert all(REGISTRY.latest(cls.TYPE) is cls for cls in CURRENT)
    assert REGISTRY.event_class("intake.OrderClosed", 1) is OrderClosedV1


def test_every_event_belongs_to_its_producer_module() -> None:
    for cls in CURRENT:
        assert cls.__module__ == f"huifang_contracts.{cls.producer()}", cls


class _V1(IntegrationEvent):
    TYPE = "intake.Probe"
    VERSION = 1


class _V2(IntegrationEvent):
    TYPE = "intake.Probe"
    VERSION = 2


class _V3(IntegrationEvent):
    TYPE = "intake.Probe"
    VERSION = 3


def _same(payload: dict[str, Any]) -> dict[str, Any]:
    return payload


def test_registry_requires_an_upcaster_for_every_step() -> None:
    with pytest.raises(ValueError, match=r"no upcaster from intake\.Probe v1 to v2"):
        Registry([_V1, _V2], {})


def test_registry_requires_every_intermediate_version() -> None:
    with pytest.raises(ValueError, match="v2 is missing"):
        Registry([_V1, _V3], {("intake.Probe", 1): _same, ("intake.Probe", 2): _same})


def test_registry_rejects_a_version_registered_twice() -> None:
    with pytest.raises(ValueError, match="registered twice"):
        Registry([_V1, _V1], {})


def test_registry_rejects_an_upcaster_past_the_latest_version() -> None:
    with pytest.raises(ValueError, match="without a next version"):
        Registry([_V1], {("intake.Probe", 1): _same})


def test_upcasters_chain_through_every_version() -> None:
    def add(field: str) -> Any:
        return lambda payload: {**payload, field: True}

    registry = Registry([_V1, _V2, _V3], {("intake.Probe", 1): add("a"), ("intake.Probe", 2): add("b")})
    assert registry.upcast("intake.Probe", 1, {}) == {"a": True, "b": True}
    assert registry.upcast("intake.Probe", 2, {}) == {"b": True}
    assert registry.upcast("intake.Probe", 3, {}) == {}


def test_an_event_type_must_name_its_producer() -> None:
    with pytest.raises(TypeError, match=r"is not '<producer>\.<EventName>'"):

        class _Bad(IntegrationEvent):
            TYPE = "orders.closed"
            VERSION = 1
