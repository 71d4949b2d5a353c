"""PostgreSQL stopped immediately and started again while a service consumes and publishes: every event
is applied once and relayed, and the service is never restarted (issue 19, point 8).

Runs its own PostgreSQL, so the immediate shutdown disturbs no other test; Kafka is the shared one.
"""

from __future__ import annotations

import asyncio
import signal
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer
from huifang_contracts.envelope import Envelope
from huifang_contracts.topics import Service
from huifang_devstack.databases import ensure_databases
from huifang_devstack.postgres import LocalPostgres
from huifang_infra.database_url import with_database
from huifang_infra.db import Connection
from huifang_infra.migrations import infra_migrations
from huifang_infra.outbox import Outbox
from huifang_infra.runtime import ServiceRuntime, create_service_app
from huifang_infra.settings import ServiceSettings

from tests.support.backbone import (
    count_effect,
    effects_applied,
    effects_at_least,
    effects_per_event,
    order_closed,
    prepare_database,
    wait_for,
)
from tests.support.kafka import create_topics, delete_topics, produce
from tests.support.ports import free_port
from tests.support.service import running_service, service_settings

pytestmark = [pytest.mark.integration, pytest.mark.slow]

N = 600
SLOW_S = 0.01  # about 6 s of work: the shutdown must land in the middle
OUTAGE_S = 5


class RestartSettings(ServiceSettings):
    service_name: str = "callback"


@pytest.fixture
def own_postgres(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalPostgres]:
    server = LocalPostgres(home=tmp_path_factory.mktemp("postgres"), port=free_port())
    server.up()
    yield server
    server.down()


async def test_an_immediate_database_restart_mid_run_loses_nothing_and_needs_no_service_restart(
    own_postgres: LocalPostgres, kafka_bootstrap: str, unique: str
) -> None:
    await ensure_databases(own_postgres.admin_url, ["huifang_callback"])
    database_url = with_database(own_postgres.admin_url, "huifang_callback")
    await prepare_database(database_url)
    relayed_topic = f"relayed.{unique}"
    await create_topics(kafka_bootstrap, [relayed_topic], partitions=3)
    relayed = Outbox(lambda _type: relayed_topic)

    async def apply_and_relay(conn: Connection, event: Any, envelope: Envelope) -> None:
        await asyncio.sleep(SLOW_S)
        await count_effect(conn, event, envelope)
        again = Envelope.wrap(
            event,
            group_id=envelope.group_id,
            estate_id=envelope.estate_id,
            aggregate_id=event.order_id,
            producer="callback",
            occurred_at=envelope.occurred_at,
            recorded_at=envelope.occurred_at,
            event_id=_relayed_id(envelope),
        )
        await relayed.add(conn, [again])  # the relay must carry it to Kafka

    settings = service_settings(RestartSettings, database_url, kafka_bootstrap, unique, outbox_max_age_seconds=300)
    runtime = ServiceRuntime(
        settings,
        Service.CALLBACK,
        handlers={"intake.OrderClosed": apply_and_relay},
        migrations=[infra_migrations()],
        stall_timeout_s=60,
    )
    events = [order_closed(i, estate=f"E{i % 6}") for i in range(N)]
    try:
        async with running_service(create_service_app(runtime, title="restart")) as client:
            topic = runtime.catalogue.topic_for("intake.OrderClosed")
            await produce(kafka_bootstrap, topic, [(e.kafka_key(), e.to_bytes()) for e in events])
            await wait_for(lambda: effects_at_least(database_url, 100), interval_s=0.05)
            applied_before_stop = await effects_applied(database_url)
            await asyncio.to_thread(own_postgres.process.stop, sig=signal.SIGQUIT)  # immediate shutdown
            during_outage = await client.get("/readyz")
            await asyncio.sleep(OUTAGE_S)
            await asyncio.to_thread(own_postgres.up)
            await wait_for(lambda: effects_at_least(database_url, N), timeout_s=120)
            relayed_ids = await _distinct_relayed(kafka_bootstrap, relayed_topic, N, timeout_s=120)
            ready = await wait_for(lambda: _ready(client), timeout_s=60)
    finally:
        await delete_topics(kafka_bootstrap, [relayed_topic])

    assert applied_before_stop < N, "the database must stop before the work is done"
    assert during_outage.status_code == 503
    assert "database" in during_outage.json()["failing"]
    assert await effects_per_event(database_url) == {e.event_id: 1 for e in events}
    assert relayed_ids == {_relayed_id(e) for e in events}
    assert ready["checks"]["relay"] == "ok"


def _relayed_id(envelope: Envelope) -> uuid.UUID:
    """The id of the event the handler publishes for `envelope`: derived, so a second copy is the same."""
    return uuid.uuid5(uuid.NAMESPACE_URL, str(envelope.event_id))


async def _ready(client: Any) -> dict[str, Any] | None:
    response = await client.get("/readyz")
    return response.json() if response.status_code == 200 else None


async def _distinct_relayed(bootstrap: str, topic: str, count: int, timeout_s: float) -> set[uuid.UUID]:
    """Event ids read from `topic` until `count` distinct ones arrived (a relay may send a row twice)."""
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest")
    await consumer.start()
    seen: set[uuid.UUID] = set()
    deadline = time.monotonic() + timeout_s
    try:
        while len(seen) < count and time.monotonic() < deadline:
            for batch in (await consumer.getmany(timeout_ms=500)).values():
                seen.update(Envelope.from_bytes(record.value).event_id for record in batch)
    finally:
        await consumer.stop()
    return seen
