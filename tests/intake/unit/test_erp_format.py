"""The ERP inbound format v1: validation naming the field, and ids derived from the ERP's own id."""

from __future__ import annotations

import json
from typing import Any

import pytest
from aiokafka.structs import ConsumerRecord
from huifang_infra.consumer import Delivery, Poison
from huifang_intake.adapters.erp_format import ErpMessageInvalid, parse_message
from huifang_intake.entrypoints.consumer import decode_erp_record
from huifang_intake.service_layer.erp_import import parse_csv, parse_json_lines

pytestmark = pytest.mark.unit


def message(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "format_version": 1,
        "kind": "order_closed",
        "erp_system": "mingyuan",
        "erp_id": "88213",
        "group_id": "G1",
        "estate_id": "E1",
        "data": {
            "category": "给排水",
            "department": "engineering",
            "requested_at": "2026-03-02T09:05:00+08:00",
            "closed_at": "2026-03-02T16:40:00+08:00",
        },
    }
    return values | overrides


def record(value: bytes) -> ConsumerRecord:
    return ConsumerRecord("erp.inbound", 0, 7, 0, 0, b"E1", value, None, len(value), len(value), [])


def test_a_valid_message_becomes_a_delivery_with_an_id_derived_from_the_erp_id() -> None:
    first = decode_erp_record(record(json.dumps(message()).encode()))
    resent = decode_erp_record(record(json.dumps(message(sent_at="2026-03-03T00:00:00Z")).encode()))
    other_kind = decode_erp_record(record(json.dumps(message(kind="complaint_registered", data={
        "category": "公共区域", "received_at": "2026-03-02T09:05:00+08:00"})).encode()))  # fmt: skip
    assert isinstance(first, Delivery) and isinstance(resent, Delivery) and isinstance(other_kind, Delivery)
    assert first.envelope.event_id == resent.envelope.event_id  # a re-sent message is the same message
    assert first.envelope.event_id != other_kind.envelope.event_id
    assert (first.envelope.type, first.envelope.estate_id, first.envelope.aggregate_id) == (
        "erp.OrderClosed", "E1", "mingyuan-88213",
    )  # fmt: skip
    assert first.envelope.occurred_at.isoformat() == "2026-03-02T08:40:00+00:00"  # stored UTC


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        (message(format_version=2), "format_version"),
        (message(kind="order_opened"), "kind"),
        (
            message(
                data={
                    "category": "x",
                    "department": "d",
                    "requested_at": "2026-03-02T09:05:00",
                    "closed_at": "2026-03-02T16:40:00+08:00",
                }
            ),
            "data.requested_at",
        ),
        (
            message(
                data={"department": "d", "requested_at": "2026-03-02T09:05:00Z", "closed_at": "2026-03-02T16:40:00Z"}
            ),
            "data.category",
        ),
    ],
)
def test_an_invalid_message_names_its_field(raw: dict[str, Any], field: str) -> None:
    with pytest.raises(ErpMessageInvalid) as invalid:
        parse_message(raw)
    assert invalid.value.field == field


def test_undecodable_bytes_are_poison_not_an_exception() -> None:
    outcome = decode_erp_record(record(b"{not json"))
    assert isinstance(outcome, Poison) and outcome.kind == "invalid"


def test_json_lines_and_csv_report_each_bad_row() -> None:
    lines = "\n".join([json.dumps(message()), "{broken", json.dumps(message(erp_id="2", estate_id=""))])
    rows = parse_json_lines(lines, "G1")
    assert [(r.number, r.message is not None, r.field) for r in rows] == [(1, True, None), (2, False, "line"),
                                                                        (3, False, "estate_id")]  # fmt: skip
    csv_text = (
        "kind,erp_system,erp_id,estate_id,category,department,requested_at,closed_at,materials\n"
        "order_closed,mingyuan,1,E1,给排水,engineering,2026-03-02T09:05:00+08:00,2026-03-02T16:40:00+08:00,"
        '"[{""name"": ""PVC"", ""quantity"": 2, ""source"": ""company""}]"\n'
        "order_closed,mingyuan,2,E1,给排水,engineering,2026-03-02 09:05,2026-03-02T16:40:00+08:00,\n"
    )
    rows = parse_csv(csv_text, "G1")
    assert rows[0].message is not None and rows[0].message.group_id == "G1"
    assert rows[0].message.data.materials[0].name == "PVC"  # type: ignore[union-attr]
    assert (rows[1].number, rows[1].field) == (3, "data.requested_at")
