"""The service runtime: one app whose lifespan runs migrations, topics, relay and consumer (issue 4)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import APIRouter
from huifang_contracts.envelope import Envelope
from huifang_contracts.topics import Service
from huifang_infra.db import Connection
from huifang_infra.migrations import infra_migrations
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
        assert ready.json()["checks"] == {"database": "ok", "kafka": "ok", "consumer": "ok"}
        metrics = (await client.get("/metrics")).text
        assert f'events_processed_total{{consumer="callback.{unique}",event_type="intake.OrderClosed"}} 20.0' in metrics
    assert sorted(seen) == sorted(e.payload["order_id"] for e in envelopes)
    assert EFFECTS_DDL  # the projection the handler wrote is the backbone test's


async def _count(runtime: ServiceRuntime) -> int:
    assert runtime.consumer is not None
    return runtime.consumer.processed + runtime.consumer.duplicates


async def _false() -> bool:
    return False
