"""The idempotent consumer: inbox dedupe, dead-letter with reason, and it goes on (issue: backbone, item 9)."""

from __future__ import annotations

import pytest
from huifang_infra.db import create_pool
from huifang_infra.outbox import Outbox
from huifang_infra.relay import OutboxRelay

from tests.conftest import TopicFactory
from tests.support.backbone import effects_per_event, order_closed, prepare_database, wait_for
from tests.support.consumer_harness import running_consumer
from tests.support.kafka import produce, read_records

pytestmark = pytest.mark.integration


async def test_redelivered_events_take_effect_once(database_url: str, topics: TopicFactory, unique: str) -> None:
    topic, dlq = await topics.create("orders"), await topics.create("test.dlq", partitions=1)
    await prepare_database(database_url)
    events = [order_closed(i, estate=f"E{i % 4}") for i in range(40)]
    # every event sent twice, as a relay that crashed between publish and mark would
    twice = [(e.kafka_key(), e.to_bytes()) for e in events] * 2
    await produce(topics.bootstrap, topic, twice)

    async with running_consumer(
        database_url=database_url, bootstrap=topics.bootstrap, topic=topic, group=f"g-{unique}", dlq=dlq
    ) as consumer:
        await wait_for(lambda: _settled(consumer, 80))

    effects = await effects_per_event(database_url)
    assert effects == {e.event_id: 1 for e in events}
    assert (consumer.processed, consumer.duplicates) == (40, 40)


async def test_poison_goes_to_the_dead_letter_topic_with_its_reason_and_the_next_is_processed(
    database_url: str, topics: TopicFactory, unique: str
) -> None:
    topic, dlq = await topics.create("orders", partitions=1), await topics.create("test.dlq", partitions=1)
    await prepare_database(database_url)
    good_before, good_after = order_closed(1), order_closed(2)
    invalid = good_before.model_copy(update={"payload": {**good_before.payload, "signed_off": "maybe"}})
    invalid = invalid.model_copy(update={"event_id": order_closed(3).event_id})
    await produce(
        topics.bootstrap,
        topic,
        [
            (b"E1", good_before.to_bytes()),
            (b"E1", b"{not json"),
            (b"E1", invalid.to_bytes()),
            (b"E1", good_after.to_bytes()),
        ],
    )

    async with running_consumer(
        database_url=database_url, bootstrap=topics.bootstrap, topic=topic, group=f"g-{unique}", dlq=dlq
    ) as consumer:
        await wait_for(lambda: _settled(consumer, 4))

    assert set(await effects_per_event(database_url)) == {good_before.event_id, good_after.event_id}
    parked = await read_records(topics.bootstrap, dlq, 2)
    reasons = [dict(r.headers) for r in parked]
    assert [h["dlq.reason"] for h in reasons] == [b"undecodable", b"invalid"]
    assert [h["dlq.error.class"] for h in reasons] == [b"EnvelopeInvalid", b"EventInvalid"]
    assert b"signed_off" in reasons[1]["dlq.error.message"]
    assert [h["dlq.original.offset"] for h in reasons] == [b"1", b"2"]
    assert {h["dlq.original.topic"] for h in reasons} == {topic.encode()}
    assert {h["dlq.consumer.group"] for h in reasons} == {f"g-{unique}".encode()}
    assert parked[0].value == b"{not json"


async def test_relay_crash_between_publish_and_mark_publishes_twice_with_one_effect(
    database_url: str, topics: TopicFactory, unique: str
) -> None:
    topic, dlq = await topics.create("orders"), await topics.create("test.dlq", partitions=1)
    await prepare_database(database_url)
    events = [order_closed(i) for i in range(10)]
    pool = await create_pool(database_url)
    try:
        async with pool.acquire() as conn, conn.transaction():
            await Outbox(lambda _t: topic).add(conn, events)
        with pytest.raises(_Crash):
            await _CrashingRelay(pool, topics.bootstrap).publish_pending()
        assert await OutboxRelay(pool, topics.bootstrap).publish_pending() == 10
    finally:
        await pool.close()

    async with running_consumer(
        database_url=database_url, bootstrap=topics.bootstrap, topic=topic, group=f"g-{unique}", dlq=dlq
    ) as consumer:
        await wait_for(lambda: _settled(consumer, 20))

    assert (consumer.processed, consumer.duplicates) == (10, 10)
    assert await effects_per_event(database_url) == {e.event_id: 1 for e in events}


class _Crash(Exception):
    pass


class _CrashingRelay(OutboxRelay):
    """Dies after the broker acknowledged the batch and before the rows are marked published."""

    async def _mark_published(self, conn, ids):  # type: ignore[no-untyped-def]
        raise _Crash


async def _settled(consumer, total: int) -> bool:  # type: ignore[no-untyped-def]
    seen = consumer.processed + consumer.duplicates + consumer.dead_lettered + consumer.ignored
    return bool(seen >= total)
