"""The envelope: aware UTC times, JSON bytes, the estate key and the trace headers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from uuid import UUID, uuid4

import pytest
from huifang_contracts.enums import EstateType
from huifang_contracts.envelope import Envelope, read_header
from huifang_contracts.errors import EnvelopeInvalid
from huifang_contracts.intake import EstateRegistered
from pydantic import ValidationError

pytestmark = pytest.mark.unit

OCCURRED = datetime(2026, 3, 2, 8, 40, tzinfo=UTC)
TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


def estate() -> EstateRegistered:
    return EstateRegistered(name="南苑小区", estate_type=EstateType.RESIDENTIAL, preset="tianxiacheng")


def wrap(**overrides: Any) -> Envelope:
    arguments: dict[str, Any] = {
        "group_id": "grp-1",
        "estate_id": "est-1",
        "aggregate_id": "est-1",
        "producer": "intake",
        "occurred_at": OCCURRED,
        "recorded_at": OCCURRED + timedelta(seconds=1),
        **overrides,
    }
    return Envelope.wrap(estate(), **arguments)


def test_wrap_takes_type_version_and_payload_from_the_event() -> None:
    envelope = wrap()
    assert (envelope.type, envelope.version) == ("intake.EstateRegistered", 1)
    assert envelope.payload["name"] == "南苑小区"
    assert envelope.payload["estate_type"] == "residential"


def test_a_chain_starts_with_the_event_correlating_to_itself() -> None:
    envelope = wrap()
    assert envelope.correlation_id == envelope.event_id
    assert envelope.causation_id is None


def test_a_caused_event_keeps_the_chain_and_names_its_cause() -> None:
    correlation, cause, event_id = uuid4(), uuid4(), uuid4()
    envelope = wrap(correlation_id=correlation, causation_id=cause, event_id=event_id)
    assert (envelope.event_id, envelope.correlation_id, envelope.causation_id) == (event_id, correlation, cause)


def test_recorded_at_is_kept_when_given_and_defaults_to_now_otherwise() -> None:
    assert wrap().recorded_at == OCCURRED + timedelta(seconds=1)
    before = datetime.now(UTC)
    defaulted = wrap(recorded_at=None).recorded_at
    assert before <= defaulted <= datetime.now(UTC)


@pytest.mark.parametrize("field", ["occurred_at", "recorded_at"])
def test_naive_datetimes_are_rejected(field: str) -> None:
    with pytest.raises(ValidationError, match="timezone"):
        wrap(**{field: datetime(2026, 3, 2, 8, 40)})


def test_naive_datetimes_on_the_wire_are_an_invalid_envelope() -> None:
    data = wrap().to_bytes().replace(b'"occurred_at":"2026-03-02T08:40:00Z"', b'"occurred_at":"2026-03-02T08:40:00"')
    with pytest.raises(EnvelopeInvalid, match="occurred_at"):
        Envelope.from_bytes(data)


def test_aware_times_in_another_zone_are_stored_as_utc() -> None:
    beijing = timezone(timedelta(hours=8))
    envelope = wrap(occurred_at=datetime(2026, 3, 2, 16, 40, tzinfo=beijing))
    assert envelope.occurred_at == OCCURRED
    assert envelope.occurred_at.utcoffset() == timedelta(0)


def test_bytes_round_trip_is_lossless_utf8_json() -> None:
    envelope = wrap()
    data = envelope.to_bytes()
    assert "南苑小区".encode() in data
    assert Envelope.from_bytes(data) == envelope


@pytest.mark.parametrize("data", [b"not json", b"[]", b'{"type": "intake.OrderClosed"}'])
def test_unreadable_bytes_raise_envelope_invalid(data: bytes) -> None:
    with pytest.raises(EnvelopeInvalid):
        Envelope.from_bytes(data)


def test_kafka_key_is_the_estate_id() -> None:
    assert wrap(estate_id="est-南苑").kafka_key() == "est-南苑".encode()


def test_headers_carry_type_version_and_the_w3c_trace_context() -> None:
    headers = wrap().kafka_headers(traceparent=TRACEPARENT, tracestate="vendor=abc")
    assert headers == [
        ("type", b"intake.EstateRegistered"),
        ("version", b"1"),
        ("traceparent", TRACEPARENT.encode()),
        ("tracestate", b"vendor=abc"),
    ]


def test_headers_without_trace_context_carry_only_type_and_version() -> None:
    assert [name for name, _ in wrap().kafka_headers()] == ["type", "version"]


def test_read_header_returns_the_last_value_or_none() -> None:
    headers: list[tuple[str, bytes | None]] = [("type", b"a"), ("type", b"b"), ("empty", None)]
    assert read_header(headers, "type") == "b"
    assert read_header(headers, "empty") is None
    assert read_header(headers, "traceparent") is None


def test_event_id_is_a_uuid() -> None:
    assert isinstance(wrap().event_id, UUID)
