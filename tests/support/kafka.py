"""Small Kafka helpers for tests: create isolated topics, produce, read back."""

from __future__ import annotations

import asyncio
import time

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.structs import ConsumerRecord


async def create_topics(bootstrap: str, names: list[str], partitions: int = 3) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(n, partitions, 1) for n in names])
    finally:
        await admin.close()


async def delete_topics(bootstrap: str, names: list[str]) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.delete_topics(names)
    finally:
        await admin.close()


async def produce(bootstrap: str, topic: str, messages: list[tuple[bytes, bytes]]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", enable_idempotence=True)
    await producer.start()
    try:
        for key, value in messages:
            await producer.send_and_wait(topic, value, key=key)
    finally:
        await producer.stop()


async def consume(
    bootstrap: str,
    topic: str,
    count: int,
    *,
    group_id: str | None = None,
    timeout_s: float = 30.0,
    commit: bool = False,
) -> list[bytes]:
    """Read `count` values (fewer if the timeout passes); commit them when asked."""
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=group_id,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
    )
    await consumer.start()
    values: list[bytes] = []
    deadline = time.monotonic() + timeout_s
    try:
        while len(values) < count and time.monotonic() < deadline:
            batch = await consumer.getmany(timeout_ms=500, max_records=count - len(values))
            offsets = {}
            for tp, records in batch.items():
                values.extend(r.value for r in records)
                offsets[tp] = records[-1].offset + 1
            if commit and offsets:
                await consumer.commit(offsets)
    finally:
        await asyncio.shield(consumer.stop())
    return values


async def read_records(bootstrap: str, topic: str, count: int, timeout_s: float = 30.0) -> list[ConsumerRecord]:
    """Read `count` records from the beginning, without a group (headers and keys included)."""
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest")
    await consumer.start()
    records: list[ConsumerRecord] = []
    try:
        async with asyncio.timeout(timeout_s):
            while len(records) < count:
                for batch in (await consumer.getmany(timeout_ms=500)).values():
                    records.extend(batch)
    finally:
        await consumer.stop()
    return records
