"""Rebuild a service's projections: empty them, rewind its consumer group, let the consumer replay.

Domain topics keep every event (retention -1), so the log is the source of truth and the projections
are derived state. The service must be stopped while rewinding: a live member would commit over it.
"""

from __future__ import annotations

from collections.abc import Sequence

from aiokafka import AIOKafkaConsumer
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.structs import TopicPartition

from huifang_infra.db import connect
from huifang_infra.projections import reset_projections


async def rewind_consumer_group(bootstrap: str, group: str, topics: Sequence[str]) -> dict[TopicPartition, int]:
    """Commit the beginning of every partition of `topics` for `group`; returns what was committed."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        described = await admin.describe_topics(list(topics))
    finally:
        await admin.close()
    partitions = [TopicPartition(t["topic"], p["partition"]) for t in described for p in t["partitions"]]
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False)
    await consumer.start()
    try:
        consumer.assign(partitions)
        beginnings = await consumer.beginning_offsets(partitions)
        await consumer.commit(dict(beginnings))
        return dict(beginnings)
    finally:
        await consumer.stop()


async def rebuild(
    *, database_url: str, bootstrap: str, group: str, topics: Sequence[str], projection_tables: Sequence[str]
) -> None:
    """Reset the projections and the inbox rows of `group`, then rewind it; the next start replays."""
    conn = await connect(database_url)
    try:
        async with conn.transaction():
            await reset_projections(conn, group, projection_tables)
    finally:
        await conn.close()
    await rewind_consumer_group(bootstrap, group, topics)
