"""Readiness checks and the polled gauges against the real Kafka and PostgreSQL (issue 4, item 13)."""

from __future__ import annotations

import socket

import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from huifang_infra.db import create_pool
from huifang_infra.health import database_check, health_router, kafka_check
from huifang_infra.metrics import Metrics, consumer_lag, refresh_outbox_backlog
from huifang_infra.migrations import infra_migrations, migrate
from huifang_infra.outbox import Outbox

from tests.conftest import TopicFactory
from tests.support.backbone import order_closed
from tests.support.kafka import produce

pytestmark = pytest.mark.integration


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_database_check_passes_on_a_reachable_database(database_url: str) -> None:
    pool = await create_pool(database_url)
    try:
        assert await database_check(pool)() is True
    finally:
        await pool.close()


async def test_kafka_check_passes_on_a_reachable_broker_and_fails_on_a_closed_port(kafka_bootstrap: str) -> None:
    assert await kafka_check(kafka_bootstrap)() is True
    assert await kafka_check(f"127.0.0.1:{closed_port()}", timeout_s=1.0)() is False


async def test_readyz_over_real_servers_names_only_what_is_down(database_url: str, kafka_bootstrap: str) -> None:
    pool = await create_pool(database_url)
    checks = {
        "database": database_check(pool),
        "kafka": kafka_check(kafka_bootstrap),
        "kafka_replica": kafka_check(f"127.0.0.1:{closed_port()}", timeout_s=1.0),
    }
    app = FastAPI()
    app.include_router(health_router(checks, registry=Metrics().registry))
    try:
        async with AsyncClient(transport=ASGITransport(app=app), base_url="http://test") as client:
            response = await client.get("/readyz")
    finally:
        await pool.close()
    assert response.status_code == 503
    assert response.json()["failing"] == ["kafka_replica"]


async def test_a_closed_pool_makes_the_database_check_fail(database_url: str) -> None:
    pool = await create_pool(database_url)
    await pool.close()
    app = FastAPI()
    app.include_router(health_router({"database": database_check(pool)}, registry=Metrics().registry))
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://test") as client:
        response = await client.get("/readyz")
    assert (response.status_code, response.json()["failing"]) == (503, ["database"])


async def test_consumer_lag_counts_records_after_the_committed_offset(
    kafka_bootstrap: str, topics: TopicFactory, unique: str
) -> None:
    topic = await topics.create("lag", partitions=1)
    await produce(kafka_bootstrap, topic, [(b"E1", f"m{i}".encode()) for i in range(5)])
    tp = TopicPartition(topic, 0)
    consumer = AIOKafkaConsumer(bootstrap_servers=kafka_bootstrap, group_id=f"lag-{unique}", enable_auto_commit=False)
    await consumer.start()
    try:
        consumer.assign([tp])
        before = await consumer_lag(consumer)
        await consumer.commit({tp: 3})
        after = await consumer_lag(consumer)
    finally:
        await consumer.stop()
    assert (before, after) == ({(topic, 0): 5}, {(topic, 0): 2})


async def test_outbox_backlog_gauge_counts_unpublished_rows(database_url: str) -> None:
    pool = await create_pool(database_url)
    metrics = Metrics(process_collectors=False)
    try:
        async with pool.acquire() as conn:
            await migrate(conn, [infra_migrations()])
            async with conn.transaction():
                await Outbox(lambda _type: "orders").add(conn, [order_closed(i) for i in range(3)])
        await refresh_outbox_backlog(metrics, pool)
    finally:
        await pool.close()
    assert b"outbox_backlog 3.0" in metrics.exposition()
