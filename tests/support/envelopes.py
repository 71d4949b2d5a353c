"""Contract events as their producers would send them, and a way to feed them to a running service."""

from __future__ import annotations

from datetime import datetime

from huifang_contracts.base import IntegrationEvent
from huifang_contracts.envelope import Envelope
from huifang_infra.runtime import ServiceRuntime

from tests.support.kafka import produce


def enveloped(
    event: IntegrationEvent,
    *,
    group_id: str,
    estate_id: str,
    aggregate_id: str,
    at: datetime,
    producer: str | None = None,
) -> Envelope:
    """An event starting its own chain, occurred and recorded at `at`; the producer is the type's prefix."""
    return Envelope.wrap(
        event,
        group_id=group_id,
        estate_id=estate_id,
        aggregate_id=aggregate_id,
        producer=producer or event.TYPE.split(".", 1)[0],
        occurred_at=at,
        recorded_at=at,
    )


def messages(*envelopes: Envelope) -> list[tuple[bytes, bytes]]:
    """Kafka (key, value) pairs: keyed by estate, as the outbox relay sends them."""
    return [(e.kafka_key(), e.to_bytes()) for e in envelopes]


async def feed(runtime: ServiceRuntime, bootstrap: str, envelopes: list[Envelope]) -> None:
    """Produce each envelope to the topic its type travels on, in this deployment's (suffixed) names."""
    by_topic: dict[str, list[Envelope]] = {}
    for envelope in envelopes:
        by_topic.setdefault(runtime.catalogue.topic_for(envelope.type), []).append(envelope)
    for topic, batch in by_topic.items():
        await produce(bootstrap, topic, messages(*batch))
