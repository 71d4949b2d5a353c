"""Transactional outbox and relay on the real broker and database (issue: event backbone, item 8)."""

from __future__ import annotations

import asyncio

import pytest
from huifang_contracts.envelope import Envelope, read_header
from huifang_infra.db import create_pool
from huifang_infra.outbox import Outbox, backlog
from huifang_infra.relay import OutboxRelay

from tests.conftest import TopicFactory
from tests.support.backbone import order_closed, prepare_database
from tests.support.kafka import consume, read_records

pytestmark = pytest.mark.integration


async def test_a_rolled_back_transaction_leaves_no_event(database_url: str, topics: TopicFactory) -> None:
    topic = await topics.create("orders")
    await prepare_database(database_url)
    outbox = Outbox(lambda _type: topic)
    pool = await create_pool(database_url)
    try:
        with pytest.raises(RuntimeError):
            async with pool.acquire() as conn, conn.transaction():
                await outbox.add(conn, [order_closed(1)])
                raise RuntimeError("the business write failed")
        relay = OutboxRelay(pool, topics.bootstrap)
        published = await relay.publish_pending()
        async with pool.acquire() as conn:
            rows = await conn.fetchval("SELECT count(*) FROM outbox")
    finally:
        await pool.close()
    assert (published, rows) == (0, 0)


async def test_committed_rows_are_published_in_order_keyed_by_estate(database_url: str, topics: TopicFactory) -> None:
    topic = await topics.create("orders", partitions=1)
    await prepare_database(database_url)
    outbox = Outbox(lambda _type: topic)
    sent = [order_closed(i, estate="E7") for i in range(20)]
    pool = await create_pool(database_url)
    try:
        async with pool.acquire() as conn, conn.transaction():
            await outbox.add(conn, sent)
        stop = asyncio.Event()
        relay = OutboxRelay(pool, topics.bootstrap, poll_interval_s=0.2)
        task = asyncio.create_task(relay.run(stop))
        received = await read_records(topics.bootstrap, topic, 20)
        stop.set()
        await task
        async with pool.acquire() as conn:
            left = await backlog(conn)
    finally:
        await pool.close()
    assert [Envelope.from_bytes(r.value).event_id for r in received] == [e.event_id for e in sent]
    assert {r.key for r in received} == {b"E7"}
    assert read_header(received[0].headers, "type") == "intake.OrderClosed"
    assert read_header(received[0].headers, "version") == "2"
    assert left == 0


async def test_the_relay_wakes_on_commit_not_on_its_poll(database_url: str, topics: TopicFactory) -> None:
    """With a 30 s backstop poll, a row committed later still arrives within seconds (LISTEN/NOTIFY)."""
    topic = await topics.create("orders")
    await prepare_database(database_url)
    pool = await create_pool(database_url)
    stop = asyncio.Event()
    relay = OutboxRelay(pool, topics.bootstrap, poll_interval_s=30)
    task = asyncio.create_task(relay.run(stop))
    try:
        await asyncio.sleep(1.0)  # the relay has found nothing and is waiting
        async with pool.acquire() as conn, conn.transaction():
            await Outbox(lambda _t: topic).add(conn, [order_closed(1)])
        values = await consume(topics.bootstrap, topic, 1, timeout_s=10)
    finally:
        stop.set()
        await task
        await pool.close()
    assert len(values) == 1


async def test_only_one_relay_per_database_publishes(database_url: str, topics: TopicFactory) -> None:
    await prepare_database(database_url)
    pool = await create_pool(database_url)
    stop = asyncio.Event()
    first = OutboxRelay(pool, topics.bootstrap, name="first", poll_interval_s=0.2)
    second = OutboxRelay(pool, topics.bootstrap, name="second", poll_interval_s=0.2)
    tasks = [asyncio.create_task(first.run(stop)), asyncio.create_task(second.run(stop))]
    try:
        await asyncio.sleep(1.5)
        async with pool.acquire() as conn:
            holders = await conn.fetchval(
                """SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND objid = $1
                   AND database = (SELECT oid FROM pg_database WHERE datname = current_database())""",
                0x68756966,
            )
    finally:
        stop.set()
        await asyncio.gather(*tasks)
        await pool.close()
    assert holders == 1


async def test_the_relay_leads_again_after_its_lock_connection_is_killed(
    database_url: str, topics: TopicFactory
) -> None:
    """Issue 19 (8): the database ending the lock's session (a restart does) must not end the relay."""
    topic = await topics.create("orders")
    await prepare_database(database_url)
    pool = await create_pool(database_url)
    stop = asyncio.Event()
    relay = OutboxRelay(pool, topics.bootstrap, poll_interval_s=0.2)
    task = asyncio.create_task(relay.run(stop))
    try:
        await asyncio.sleep(1.0)  # the relay leads and waits for rows
        async with pool.acquire() as conn:
            killed = await conn.fetchval(
                """SELECT count(pg_terminate_backend(pid)) FROM pg_locks
                    WHERE locktype = 'advisory' AND granted AND objid = $1
                      AND database = (SELECT oid FROM pg_database WHERE datname = current_database())""",
                0x68756966,
            )
        await asyncio.sleep(1.0)  # the relay finds its connection gone
        async with pool.acquire() as conn, conn.transaction():
            await Outbox(lambda _t: topic).add(conn, [order_closed(1)])
        values = await consume(topics.bootstrap, topic, 1, timeout_s=20)
        relay_ended = task.done()
    finally:
        stop.set()
        await asyncio.wait_for(task, 20)
        await pool.close()
    assert (killed, relay_ended, len(values)) == (1, False, 1)
