"""The service runtime: one app whose lifespan runs migrations, topics, relay and consumer (issue 4)."""

from __future__ import annotations

import asyncio
from typing import Any

import asyncpg
import pytest
from fastapi import APIRouter
from huifang_contracts.envelope import Envelope
from huifang_contracts.topics import Service
from huifang_infra.db import Connection
from huifang_infra.migrations import infra_migrations
from huifang_infra.relay import RELAY_LOCK_KEY
from huifang_infra.runtime import ServiceRuntime, create_service_app
from huifang_infra.settings import ServiceSettings

from tests.support.backbone import EFFECTS_DDL, order_closed, prepare_database, wait_for
from tests.support.kafka import produce
from tests.support.service import running_service, service_settings

pytestmark = pytest.mark.integration


class DemoSettings(ServiceSettings):
    service_name: str = "callback"


async def test_the_app_lifespan_runs_consumer_relay_and_health(
    database_url: str, kafka_bootstrap: str, unique: str
) -> None:
    await prepare_database(database_url)
    settings = service_settings(DemoSettings, database_url, kafka_bootstrap, unique)
    seen: list[str] = []

    async def project(conn: Connection, event: Any, envelope: Envelope) -> None:
        await conn.execute(
            "INSERT INTO effects (event_id, estate_id, order_id) VALUES ($1, $2, $3)",
            envelope.event_id,
            envelope.estate_id,
            event.order_id,
        )
        # the same transaction may publish: the relay carries it to Kafka
        await runtime.outbox.add(conn, [])
        seen.append(event.order_id)

    runtime = ServiceRuntime(
        settings,
        Service.CALLBACK,
        handlers={"intake.OrderClosed": project},
        migrations=[infra_migrations()],
        stall_timeout_s=30,
    )
    router = APIRouter()

    @router.get("/ping")
    async def ping() -> dict[str, str]:
        return {"pong": runtime.name}

    app = create_service_app(runtime, title="demo", routers=[router])
    async with running_service(app) as client:
        assert (await client.get("/ping")).json() == {"pong": "callback"}
        topic = runtime.catalogue.topic_for("intake.OrderClosed")
        assert topic == f"intake.orders.{unique}"
        envelopes = [order_closed(i, estate=f"E{i % 3}") for i in range(20)]
        messages = [(e.kafka_key(), e.to_bytes()) for e in envelopes + envelopes[:5]]  # five delivered twice
        await produce(kafka_bootstrap, topic, messages)
        await wait_for(lambda: _count(runtime) if len(seen) >= 20 else _false(), timeout_s=60)
        ready = await client.get("/readyz")
        assert ready.status_code == 200, ready.text
        assert ready.json()["checks"] == {"database": "ok", "kafka": "ok", "relay": "ok", "consumer": "ok"}
        metrics = (await client.get("/metrics")).text
        assert f'events_processed_total{{consumer="callback.{unique}",event_type="intake.OrderClosed"}} 20.0' in metrics
    assert sorted(seen) == sorted(e.payload["order_id"] for e in envelopes)
    assert EFFECTS_DDL  # the projection the handler wrote is the backbone test's


async def _count(runtime: ServiceRuntime) -> int:
    assert runtime.consumer is not None
    return runtime.consumer.processed + runtime.consumer.duplicates


async def _false() -> bool:
    return False


async def test_readyz_fails_the_relay_while_an_outbox_row_waits_longer_than_the_max_age(
    database_url: str, kafka_bootstrap: str, unique: str
) -> None:
    """Issue 19 (8): a relay that runs but publishes nothing is stalled, and /readyz says so."""
    await prepare_database(database_url)
    settings = service_settings(DemoSettings, database_url, kafka_bootstrap, unique, outbox_max_age_seconds=30)
    runtime = ServiceRuntime(settings, Service.CALLBACK, migrations=[infra_migrations()])
    leader = await asyncpg.connect(database_url)  # another process's relay leads and publishes nothing
    await leader.fetchval("SELECT pg_advisory_lock($1)", RELAY_LOCK_KEY)
    try:
        async with running_service(create_service_app(runtime, title="demo")) as client:
            fresh = (await client.get("/readyz")).json()["checks"]["relay"]
            async with runtime.pool.acquire() as conn, conn.transaction():
                await runtime.outbox.add(conn, [order_closed(1)])
            young = (await client.get("/readyz")).json()["checks"]["relay"]
            async with runtime.pool.acquire() as conn:
                await conn.execute("UPDATE outbox SET created_at = now() - interval '40 seconds'")
            stalled = await client.get("/readyz")
            await leader.close()  # the lock passes to this service's relay, which publishes the row
            recovered = await wait_for(lambda: _ready(client), timeout_s=20)
    finally:
        await leader.close()
    assert (fresh, young) == ("ok", "ok")
    assert stalled.status_code == 503
    assert stalled.json()["failing"] == ["relay"]
    assert recovered["checks"]["relay"] == "ok"


async def test_a_background_loop_that_fails_is_reported_down_and_started_again(
    database_url: str, kafka_bootstrap: str, unique: str
) -> None:
    """Issue 19 (8): timers and samplers are supervised like the relay and the consumer."""
    await prepare_database(database_url)
    settings = service_settings(DemoSettings, database_url, kafka_bootstrap, unique)
    starts: list[float] = []
    release = asyncio.Event()

    async def timers(_runtime: ServiceRuntime, stop: asyncio.Event) -> None:
        starts.append(asyncio.get_running_loop().time())
        if len(starts) == 1:
            await release.wait()
            raise ConnectionResetError("the database went away")
        await stop.wait()

    runtime = ServiceRuntime(settings, Service.CALLBACK, migrations=[infra_migrations()], background=[timers])
    async with running_service(create_service_app(runtime, title="demo")) as client:
        before = (await client.get("/readyz")).json()["checks"]["timers"]
        release.set()
        await asyncio.sleep(0.1)  # failed; waiting out the first pause
        down = await client.get("/readyz")
        await wait_for(lambda: _started_twice(starts), timeout_s=10)
        after = (await client.get("/readyz")).json()["checks"]["timers"]
        metrics = (await client.get("/metrics")).text
    assert (before, down.json()["failing"], after) == ("ok", ["timers"], "ok")
    assert 'background_task_restarts_total{task="timers"} 1.0' in metrics


async def _ready(client: Any) -> dict[str, Any] | None:
    response = await client.get("/readyz")
    return response.json() if response.status_code == 200 else None


async def _started_twice(starts: list[float]) -> bool:
    return len(starts) >= 2
