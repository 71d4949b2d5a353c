"""The broker stopped and started while a consumer works: nothing lost, nothing doubled
(issue: event backbone, tests). Runs its own broker, so stopping it disturbs no other test."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from huifang_devstack import Stack, StackSettings

from tests.support.backbone import effects_applied, effects_at_least, effects_per_event, orders_backlog, wait_for
from tests.support.consumer_harness import running_consumer
from tests.support.kafka import create_topics
from tests.support.ports import free_port_pair

pytestmark = [pytest.mark.integration, pytest.mark.slow]

N = 2000
SLOW_S = 0.004  # about 8 s of work: the broker's stop (seconds) must land in the middle


@pytest.fixture
def own_broker(tmp_path_factory: pytest.TempPathFactory, admin_database_url: str) -> Iterator[Stack]:
    settings = StackSettings(
        state_dir=tmp_path_factory.mktemp("broker"),
        kafka_port=free_port_pair(),
        kafka_bootstrap_servers=None,
        database_url=admin_database_url,  # the shared test PostgreSQL; only Kafka is ours
        stack="local",
    )
    stack = Stack(settings)
    stack.up()
    yield stack
    stack.down()


async def test_broker_restart_mid_consumption_loses_and_doubles_nothing(
    own_broker: Stack, database_url: str, unique: str
) -> None:
    bootstrap = own_broker.kafka_bootstrap
    topic, dlq = f"orders.{unique}", f"g-{unique}.dlq"
    await create_topics(bootstrap, [topic, dlq], partitions=3)
    events = await orders_backlog(database_url, bootstrap, topic, N, estates=8)

    async with running_consumer(
        database_url=database_url,
        bootstrap=bootstrap,
        topic=topic,
        group=f"g-{unique}",
        dlq=dlq,
        batch_size=50,
        seconds_per_event=SLOW_S,
    ):
        await wait_for(lambda: effects_at_least(database_url, 200), interval_s=0.05)
        await asyncio.to_thread(own_broker.kafka.down)
        during_outage = await effects_applied(database_url)
        await asyncio.sleep(3)
        await asyncio.to_thread(own_broker.kafka.up)
        await wait_for(lambda: effects_at_least(database_url, N), timeout_s=120)
        await asyncio.sleep(2)

    assert during_outage < N, "the broker must stop before the work is done"
    assert await effects_per_event(database_url) == {e.event_id: 1 for e in events}
