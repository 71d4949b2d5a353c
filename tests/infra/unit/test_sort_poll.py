"""sort_poll: each record of a poll is delivered, ignored or parked, decided before any database work.

The record's type header lets a consumer pass over other services' events without parsing them; a
record whose body is unreadable is parked only by a consumer that handles its type (or cannot tell it).
"""

from __future__ import annotations

import pytest
from aiokafka.structs import ConsumerRecord, TopicPartition
from huifang_contracts.envelope import Envelope
from huifang_contracts.intake import OrderClosed
from huifang_infra.consumed import Poll, sort_poll

from tests.contracts.support import example

pytestmark = pytest.mark.unit

TP = TopicPartition("intake.events", 0)


def record(offset: int, value: bytes, headers: list[tuple[str, bytes]]) -> ConsumerRecord:
    return ConsumerRecord(TP.topic, TP.partition, offset, 0, 0, b"E-1", value, None, len(value), 0, headers)


async def sort(records: list[ConsumerRecord], handled: set[str]) -> Poll:
    return await sort_poll({TP: records}, handled)


async def test_each_record_gets_its_fate_and_every_offset_is_covered() -> None:
    wire = example("intake.OrderClosed.v2")
    good = record(0, wire.to_bytes(), wire.kafka_headers())
    garbage_ours = record(1, b"{not json", wire.kafka_headers())
    garbage_unnamed = record(2, b"{not json", [])
    garbage_theirs = record(3, b"{not json", [("type", b"survey.CallbackCompleted"), ("version", b"1")])
    invalid = wire.model_copy(update={"payload": {**wire.payload, "signed_off": "perhaps"}})
    invalid_ours = record(4, invalid.to_bytes(), invalid.kafka_headers())

    poll = await sort([good, garbage_ours, garbage_unnamed, garbage_theirs, invalid_ours], {OrderClosed.TYPE})

    assert [d.record.offset for d in poll.deliveries] == [0]
    delivery = poll.deliveries[0]
    assert isinstance(delivery.envelope, Envelope)
    assert delivery.event is delivery.envelope.payload
    assert delivery.event.order_id == wire.payload["order_id"]
    assert [(r.offset, p.kind) for r, p in poll.poison] == [(1, "undecodable"), (2, "undecodable"), (4, "invalid")]
    assert poll.ignored == 1, "another service's record is passed over, however it looks"
    assert poll.last_offsets == {TP: 4}


async def test_a_valid_record_of_a_type_not_handled_is_ignored_with_or_without_headers() -> None:
    wire = example("intake.OrderClosed.v2")
    poll = await sort([record(0, wire.to_bytes(), wire.kafka_headers()), record(1, wire.to_bytes(), [])], {"x.Y"})
    assert poll.deliveries == [] and poll.poison == []
    assert poll.ignored == 2
