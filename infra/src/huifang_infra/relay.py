"""Publishes outbox rows to Kafka: at least once, in id order, one active relay per database.

Crash anywhere and the rows stay unpublished until a relay sends them again; consumers dedupe by
event id, so a second copy costs nothing. Only one relay per database publishes at a time (an
advisory lock), because two relays claiming rows with SKIP LOCKED could reorder an estate's events.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Any

import asyncpg
from aiokafka import AIOKafkaProducer
from asyncpg.pool import PoolConnectionProxy
from huifang_contracts.envelope import HEADER_TYPE, HEADER_VERSION

from huifang_infra.db import Connection
from huifang_infra.producer import create_producer
from huifang_infra.telemetry import headers_from_trace, start_producer_span

log = logging.getLogger(__name__)

#: Any integer shared by every relay of a database; other advisory locks must not use it.
RELAY_LOCK_KEY = 0x68756966  # "huif"

CLAIM_SQL = """
SELECT id, event_id, event_type, event_version, topic, key, value, traceparent, tracestate
  FROM outbox
 WHERE published_at IS NULL
 ORDER BY id
 LIMIT $1
   FOR UPDATE SKIP LOCKED
"""


#: Bounds of the relay's retry backoff (doubling): a restarted database is used within 10 s.
RETRY_START_S, RETRY_MAX_S = 0.2, 10.0


def connection_lost(conn: Connection) -> bool:
    """Whether the session is gone. asyncpg hands a pooled connection whose session died back to the
    pool at once, and its proxy then refuses every call, `is_closed()` included."""
    try:
        return conn.is_closed()
    except asyncpg.InterfaceError:
        return True


class OutboxRelay:
    def __init__(
        self,
        pool: asyncpg.Pool,
        bootstrap: str,
        *,
        name: str = "relay",
        batch_size: int = 500,
        poll_interval_s: float = 2.0,
        producer_factory: Callable[[str], AIOKafkaProducer] = create_producer,
        on_published: Callable[[int], None] | None = None,
    ) -> None:
        self._pool, self._bootstrap, self.name = pool, bootstrap, name
        self._batch_size, self._poll_interval = batch_size, poll_interval_s
        self._producer_factory = producer_factory
        self._producer: AIOKafkaProducer | None = None
        self._on_published = on_published
        self._wake = asyncio.Event()
        self.published = 0

    async def _ensure_producer(self) -> AIOKafkaProducer:
        if self._producer is None:
            producer = self._producer_factory(self._bootstrap)
            await producer.start()
            self._producer = producer
        return self._producer

    async def _drop_producer(self) -> None:
        """A producer that failed may be wedged (e.g. OutOfOrderSequenceNumber): start a new one."""
        producer, self._producer = self._producer, None
        if producer is not None:
            try:
                await producer.stop()
            except Exception:  # a broken producer may fail to stop; it is dropped either way
                log.warning("stopping a failed producer raised", exc_info=True)

    async def publish_pending(self, conn: Connection | None = None) -> int:
        """Publish one batch of unpublished rows; returns how many were published.

        `run` passes the connection that holds the relay lock, so a leading relay needs one
        connection, not two: every connection is a PostgreSQL process, and a demo runs five relays.
        """
        if conn is None:
            async with self._pool.acquire() as acquired:
                return await self.publish_pending(acquired)
        producer = await self._ensure_producer()
        async with conn.transaction():
            rows = await conn.fetch(CLAIM_SQL, self._batch_size)
            if not rows:
                return 0
            pending = [await self._send(producer, row) for row in rows]
            await asyncio.gather(*pending)
            await self._mark_published(conn, [row["id"] for row in rows])
        self.published += len(rows)
        if self._on_published is not None:
            self._on_published(len(rows))
        return len(rows)

    async def _send(self, producer: AIOKafkaProducer, row: asyncpg.Record) -> asyncio.Future[Any]:
        attributes = {"messaging.destination.name": row["topic"], "messaging.message.id": str(row["event_id"])}
        span, trace = start_producer_span(f"{row['topic']} publish", row["traceparent"], row["tracestate"], attributes)
        try:
            headers = [
                (HEADER_TYPE, row["event_type"].encode()),
                (HEADER_VERSION, str(row["event_version"]).encode()),
                *headers_from_trace(trace.get("traceparent"), trace.get("tracestate")),
            ]
            future: asyncio.Future[Any] = await producer.send(
                row["topic"], value=bytes(row["value"]), key=bytes(row["key"]), headers=headers
            )
            return future
        finally:
            span.end()

    async def _mark_published(self, conn: Connection, ids: list[int]) -> None:
        await conn.execute("UPDATE outbox SET published_at = now() WHERE id = ANY($1::bigint[])", ids)

    async def run(self, stop: asyncio.Event) -> None:
        """Publish until `stop` is set: woken by NOTIFY at commit, with a slow poll as backstop.

        A database that goes away (a restart ends every session, the lock's too) never ends the
        relay: it waits with bounded backoff, connects again and leads anew.
        """
        backoff = RETRY_START_S
        while not stop.is_set():
            try:
                lock_conn = await self._pool.acquire()
            except Exception as exc:  # the database is away: try again, never give up
                log.warning("outbox relay %s: no connection, retrying in %.1f s: %r", self.name, backoff, exc)
                await _sleep_or_stop(stop, backoff)
                backoff = min(backoff * 2, RETRY_MAX_S)
                continue
            failed = False
            try:
                await self._lead(lock_conn, stop)
                await lock_conn.add_listener("outbox", self._on_notify)
                backoff = RETRY_START_S
                await self._publish_while_leading(lock_conn, stop)
            except Exception as exc:  # the session ended while leading or waiting to lead
                log.warning("outbox relay %s: lost its lock session, leading anew: %r", self.name, exc)
                failed = True
            finally:
                await self._drop_producer()
                await self._give_up_lead(lock_conn)
            if failed:
                await _sleep_or_stop(stop, backoff)
                backoff = min(backoff * 2, RETRY_MAX_S)

    async def _publish_while_leading(self, lock_conn: Connection, stop: asyncio.Event) -> None:
        """Until stopped, or until the lock's connection is lost (then `run` leads anew)."""
        backoff = RETRY_START_S
        while not stop.is_set():
            try:
                count = await self.publish_pending(lock_conn)
                backoff = RETRY_START_S
            except Exception as exc:  # broker or database away, or a wedged producer: retry, never skip
                log.warning("outbox relay %s: publishing failed, retrying in %.1f s: %r", self.name, backoff, exc)
                await self._drop_producer()
                if connection_lost(lock_conn):
                    return  # the lock went with its session
                await _sleep_or_stop(stop, backoff)
                backoff = min(backoff * 2, RETRY_MAX_S)
                continue
            if count < self._batch_size:
                self._wake.clear()
                await _first_of(stop, self._wake, self._poll_interval)

    async def _give_up_lead(self, lock_conn: PoolConnectionProxy) -> None:
        try:
            if not connection_lost(lock_conn):
                await lock_conn.remove_listener("outbox", self._on_notify)
                await lock_conn.execute("SELECT pg_advisory_unlock_all()")
        except Exception as exc:  # a broken connection releases its lock as it ends
            log.warning("outbox relay %s: releasing the lock failed: %r", self.name, exc)
        finally:
            try:
                await self._pool.release(lock_conn)
            except Exception as exc:  # a connection that died is dropped by the pool either way
                log.warning("outbox relay %s: releasing the connection failed: %r", self.name, exc)

    async def _lead(self, lock_conn: Connection, stop: asyncio.Event) -> None:
        """Wait until this relay holds the database's relay lock (released when its connection ends)."""
        while not stop.is_set():
            if await lock_conn.fetchval("SELECT pg_try_advisory_lock($1)", RELAY_LOCK_KEY):
                return
            await _sleep_or_stop(stop, self._poll_interval)

    def _on_notify(self, *_: object) -> None:
        self._wake.set()


async def _sleep_or_stop(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)


async def _first_of(stop: asyncio.Event, wake: asyncio.Event, seconds: float) -> None:
    waiters = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(wake.wait())]
    try:
        await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()
