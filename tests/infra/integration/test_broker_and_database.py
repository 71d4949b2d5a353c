"""The shared test stack is a real broker and a real database (issue: foundation, item 4)."""

from __future__ import annotations

import asyncpg
import pytest

from tests.conftest import TopicFactory
from tests.support.kafka import consume, produce

pytestmark = pytest.mark.integration


async def test_messages_round_trip_through_a_consumer_group(
    kafka_bootstrap: str, topics: TopicFactory, unique: str
) -> None:
    topic = await topics.create("roundtrip")
    sent = [(f"estate-{i % 3}".encode(), f"m{i}".encode()) for i in range(30)]
    await produce(kafka_bootstrap, topic, sent)

    got = await consume(kafka_bootstrap, topic, 30, group_id=f"g-{unique}")

    assert sorted(got) == sorted(v for _, v in sent)


async def test_committed_offsets_survive_a_consumer_restart(
    kafka_bootstrap: str, topics: TopicFactory, unique: str
) -> None:
    topic = await topics.create("offsets", partitions=1)
    await produce(kafka_bootstrap, topic, [(b"k", f"m{i}".encode()) for i in range(10)])
    group = f"g-{unique}"

    first = await consume(kafka_bootstrap, topic, 6, group_id=group, commit=True)
    second = await consume(kafka_bootstrap, topic, 4, group_id=group, commit=True)

    assert first == [f"m{i}".encode() for i in range(6)]
    assert second == [f"m{i}".encode() for i in range(6, 10)]


async def test_auto_creation_of_topics_is_off(kafka_bootstrap: str, unique: str) -> None:
    from aiokafka import AIOKafkaProducer
    from aiokafka.admin import AIOKafkaAdminClient
    from aiokafka.errors import KafkaTimeoutError, UnknownTopicOrPartitionError

    name = f"never-created.{unique}"
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap, request_timeout_ms=3000)
    await producer.start()
    try:
        with pytest.raises((KafkaTimeoutError, UnknownTopicOrPartitionError)):
            await producer.send_and_wait(name, b"x")
    finally:
        await producer.stop()
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka_bootstrap)
    await admin.start()
    try:
        assert name not in await admin.list_topics()
    finally:
        await admin.close()


async def test_each_test_gets_its_own_empty_database(database_url: str) -> None:
    conn = await asyncpg.connect(database_url)
    try:
        tables = await conn.fetchval("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
        await conn.execute("CREATE TABLE t (id int primary key)")
        await conn.execute("INSERT INTO t VALUES (1)")
        assert tables == 0
        assert await conn.fetchval("SELECT count(*) FROM t") == 1
    finally:
        await conn.close()


async def test_service_databases_exist(stack) -> None:  # type: ignore[no-untyped-def]
    conn = await asyncpg.connect(stack.admin_database_url)
    try:
        names = {r["datname"] for r in await conn.fetch("SELECT datname FROM pg_database")}
    finally:
        await conn.close()
    assert {f"huifang_{s}" for s in ("intake", "callback", "dispatch", "survey", "reporting")} <= names
