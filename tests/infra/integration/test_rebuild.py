"""Replaying the log from the start gives the same projection (issue: event backbone, item 10)."""

from __future__ import annotations

import pytest
from huifang_infra.rebuild import rebuild

from tests.conftest import TopicFactory
from tests.support.backbone import effects_per_event, order_closed, prepare_database, wait_for
from tests.support.consumer_harness import running_consumer
from tests.support.kafka import produce

pytestmark = pytest.mark.integration


async def test_rebuild_replays_every_event_into_an_identical_projection(
    database_url: str, topics: TopicFactory, unique: str
) -> None:
    topic, dlq = await topics.create("orders"), await topics.create("test.dlq", partitions=1)
    await prepare_database(database_url)
    events = [order_closed(i, estate=f"E{i % 5}") for i in range(200)]
    await produce(topics.bootstrap, topic, [(e.kafka_key(), e.to_bytes()) for e in events])
    group = f"g-{unique}"
    settings = {"database_url": database_url, "bootstrap": topics.bootstrap, "topic": topic, "group": group}

    async with running_consumer(**settings, dlq=dlq) as first:
        await wait_for(lambda: _done(first, 200))
    before = await effects_per_event(database_url)

    await rebuild(
        database_url=database_url,
        bootstrap=topics.bootstrap,
        group=group,
        topics=[topic],
        projection_tables=["effects"],
    )
    emptied = await effects_per_event(database_url)
    async with running_consumer(**settings, dlq=dlq) as second:
        await wait_for(lambda: _done(second, 200))
    after = await effects_per_event(database_url)

    assert before == {e.event_id: 1 for e in events}
    assert emptied == {}
    assert after == before
    assert second.duplicates == 0


async def _done(consumer, n: int) -> bool:  # type: ignore[no-untyped-def]
    return bool(consumer.processed + consumer.duplicates >= n)
