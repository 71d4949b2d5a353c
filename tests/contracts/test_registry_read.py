"""read(): a record's bytes and header hints in, `Envelope[TheEvent]` out, whichever path it takes.

The headers only choose the path; the body decides. Wrong or missing hints must give the same result
(or the same error) as the two-step `Envelope.from_bytes` + `decode`.
"""

from __future__ import annotations

import pytest
from huifang_contracts.envelope import Envelope
from huifang_contracts.errors import EnvelopeInvalid, EventInvalid, UnknownEventType
from huifang_contracts.intake import OrderClosed
from huifang_contracts.registry import decode, read

from tests.contracts.support import example

pytestmark = pytest.mark.unit


def test_the_latest_version_named_by_the_headers_reads_in_one_pass() -> None:
    wire = example("intake.OrderClosed.v2")
    envelope = read(wire.to_bytes(), "intake.OrderClosed", 2)
    assert isinstance(envelope, Envelope)
    assert type(envelope) is Envelope[OrderClosed]
    assert envelope.payload == decode(wire)
    assert envelope.model_dump(exclude={"payload"}) == wire.model_dump(exclude={"payload"})
    assert envelope.to_bytes() == wire.to_bytes(), "a delivered envelope serialises as it came"


@pytest.mark.parametrize(
    ("event_type", "version"),
    [(None, None), ("intake.OrderClosed", None), ("intake.OrderClosed", 1), ("intake.ComplaintResolved", 1)],
    ids=["no headers", "no version", "an older version", "another type"],
)
def test_missing_or_wrong_hints_give_the_same_envelope(event_type: str | None, version: int | None) -> None:
    wire = example("intake.OrderClosed.v2")
    envelope = read(wire.to_bytes(), event_type, version)
    assert type(envelope) is Envelope[OrderClosed]
    assert envelope.payload == decode(wire)
    assert envelope.event_id == wire.event_id


def test_an_older_version_is_upcast_even_when_the_headers_claim_the_latest() -> None:
    """Upcasting: a v1 body under v2 headers (a producer's mistake) is still read as v1 and lifted."""
    v1 = example("intake.OrderClosed.v1")
    for version in (1, 2):
        envelope = read(v1.to_bytes(), "intake.OrderClosed", version)
        assert type(envelope.payload) is OrderClosed
        assert envelope.payload.materials == []
        assert envelope.version == 1, "the envelope says what was published"


def test_errors_are_those_of_the_two_step_path() -> None:
    wire = example("intake.OrderClosed.v2")
    with pytest.raises(EnvelopeInvalid):
        read(b"{not json", "intake.OrderClosed", 2)
    invalid = wire.model_copy(update={"payload": {**wire.payload, "order_id": ""}})
    with pytest.raises(EventInvalid, match="order_id"):
        read(invalid.to_bytes(), "intake.OrderClosed", 2)
    unknown = wire.model_copy(update={"type": "intake.OrderReopened"})
    with pytest.raises(UnknownEventType):
        read(unknown.to_bytes(), "intake.OrderClosed", 2)
