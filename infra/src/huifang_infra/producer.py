"""The one Kafka producer a process uses, configured as our delivery guarantees need."""

from __future__ import annotations

from aiokafka import AIOKafkaProducer


def create_producer(bootstrap: str, *, client_id: str | None = None) -> AIOKafkaProducer:
    # aiokafka defaults to acks=1 without idempotence: a leader crash could lose or duplicate writes.
    return AIOKafkaProducer(
        bootstrap_servers=bootstrap,
        client_id=client_id,
        acks="all",
        enable_idempotence=True,
        linger_ms=5,
        request_timeout_ms=30000,
    )
