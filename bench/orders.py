"""The workload: OrderClosed envelopes as the intake service publishes them, and topics to hold them.

Estates are spread over many keys so that every partition of a 12-partition topic gets work, as in
production where the key is the estate.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from uuid import uuid4

from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from huifang_contracts.enums import Channel, RequestKind
from huifang_contracts.envelope import Envelope
from huifang_contracts.intake import OrderClosed
from huifang_infra.producer import create_producer

from bench.timing import chunks

ESTATES = 240
GROUP = "G-BENCH"
T0 = datetime(2026, 10, 9, 2, 0, tzinfo=UTC)

#: The projection both consumer pipelines write: one row per event, as small as a read model gets.
EFFECTS_DDL = """
CREATE TABLE IF NOT EXISTS {table} (
    event_id   uuid        NOT NULL,
    estate_id  text        NOT NULL,
    order_id   text        NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
)
"""


def order_closed(i: int) -> Envelope:
    """A realistic OrderClosed (about 0.8 kB on the wire): requester, unit and worker filled in."""
    event = OrderClosed(
        order_id=f"WO-{i:07d}",
        erp_id=f"ERP-{i:09d}",
        request_kind=RequestKind.REPAIR,
        channel=Channel.HOTLINE,
        category="水电维修",
        subcategory="水管漏水",
        unit_id=f"U-{i % 900:04d}",
        requester_name="王女士",
        requester_phone="13800138000",
        department="engineering",
        worker_id=f"W-{i % 40:03d}",
        requested_at=T0 + timedelta(minutes=i),
        closed_at=T0 + timedelta(minutes=i, hours=3),
        signed_off=True,
    )
    return Envelope.wrap(
        event,
        group_id=GROUP,
        estate_id=f"E-{i % ESTATES:04d}",
        aggregate_id=event.order_id,
        producer="intake",
        occurred_at=event.closed_at,
        recorded_at=event.closed_at,
        event_id=uuid4(),
    )


async def create_topics(bootstrap: str, names: list[str], partitions: int) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(name, partitions, 1) for name in names])
    finally:
        await admin.close()


async def delete_topics(bootstrap: str, names: list[str]) -> None:
    """Domain topics keep everything: a benchmark's would otherwise pile up in the stack's state folder.

    Only those that exist: after a failure this runs in a `finally`, and must not hide the failure.
    """
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        if present := [name for name in names if name in existing]:
            await admin.delete_topics(present)
    finally:
        await admin.close()


async def produce(bootstrap: str, topic: str, envelopes: list[Envelope]) -> None:
    """Publish with the relay's producer settings, many sends in flight, as fast as the broker takes them."""
    producer: AIOKafkaProducer = create_producer(bootstrap)
    await producer.start()
    try:
        for part in chunks(envelopes, 2000):
            acks = [
                await producer.send(topic, env.to_bytes(), key=env.kafka_key(), headers=env.kafka_headers())
                for env in part
            ]
            await asyncio.gather(*acks)
    finally:
        await producer.stop()
