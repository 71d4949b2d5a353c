"""Dead-lettering: a message we cannot process is parked with its reason, and consumption goes on."""

from __future__ import annotations

from dataclasses import dataclass

from aiokafka import AIOKafkaProducer
from aiokafka.structs import ConsumerRecord


@dataclass(frozen=True)
class Poison:
    """Why a record cannot be processed; `kind` is a short stable code for metrics and triage."""

    kind: str  # undecodable | invalid | unknown_type | handler_error
    error: BaseException


def dead_letter_headers(record: ConsumerRecord, group: str, poison: Poison) -> list[tuple[str, bytes]]:
    original = [(k, v) for k, v in (record.headers or ()) if not k.startswith("dlq.")]
    return [
        *original,
        ("dlq.reason", poison.kind.encode()),
        ("dlq.error.class", type(poison.error).__name__.encode()),
        ("dlq.error.message", str(poison.error)[:4000].encode("utf-8", "replace")),
        ("dlq.original.topic", record.topic.encode()),
        ("dlq.original.partition", str(record.partition).encode()),
        ("dlq.original.offset", str(record.offset).encode()),
        ("dlq.consumer.group", group.encode()),
    ]


async def send_to_dead_letter(
    producer: AIOKafkaProducer, topic: str, record: ConsumerRecord, group: str, poison: Poison
) -> None:
    """Wait for the broker's ack: the offset past this record is committed only after it is parked."""
    await producer.send_and_wait(
        topic, value=record.value, key=record.key, headers=dead_letter_headers(record, group, poison)
    )
