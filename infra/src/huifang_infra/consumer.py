"""The idempotent consumer every service uses.

For each partition's batch, one database transaction holds every record's effects and inbox row (a
savepoint per record, so one poison record does not undo its neighbours); offsets are committed only
after that transaction, and only for partitions still assigned. Poison goes to `<group>.dlq` with its
reason and the consumer goes on; a database or broker that is away is waited for, never skipped.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import asyncpg
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRebalanceListener
from aiokafka.errors import CommitFailedError
from aiokafka.structs import ConsumerRecord, TopicPartition
from huifang_contracts.envelope import Envelope
from huifang_contracts.errors import UnknownEventType
from huifang_contracts.registry import decode

from huifang_infra.db import Connection
from huifang_infra.deadletter import Poison, send_to_dead_letter
from huifang_infra.inbox import first_delivery
from huifang_infra.telemetry import consumer_span
from huifang_infra.transient import is_transient

log = logging.getLogger(__name__)

Handler = Callable[[Connection, Any, Envelope], Awaitable[None]]
MAX_BACKOFF_S = 10.0


class _TransientFailure(Exception):
    """Wraps a transient error raised inside a record's savepoint, so the whole batch is retried."""


class IdempotentConsumer:
    def __init__(
        self,
        *,
        group: str,
        topics: list[str],
        bootstrap: str,
        pool: asyncpg.Pool,
        handlers: Mapping[str, Handler],
        dead_letter_topic: str,
        producer: AIOKafkaProducer,
        batch_size: int = 500,
        on_processed: Callable[[str], None] | None = None,
        on_dead_lettered: Callable[[str], None] | None = None,
    ) -> None:
        self.group, self.topics = group, topics
        self._bootstrap, self._pool, self._handlers = bootstrap, pool, handlers
        self._dlq_topic, self._producer, self._batch_size = dead_letter_topic, producer, batch_size
        self._on_processed, self._on_dead_lettered = on_processed, on_dead_lettered
        self._consumer: AIOKafkaConsumer | None = None
        self._idle = asyncio.Event()
        self._idle.set()
        self.processed = self.duplicates = self.ignored = self.dead_lettered = 0
        self.last_progress = time.monotonic()

    # -- state for health checks ------------------------------------------------------------------
    @property
    def assigned(self) -> bool:
        return self._consumer is not None and bool(self._consumer.assignment())

    # -- the loop ---------------------------------------------------------------------------------
    async def run(self, stop: asyncio.Event) -> None:
        consumer = AIOKafkaConsumer(
            bootstrap_servers=self._bootstrap,
            group_id=self.group,
            enable_auto_commit=False,  # auto-commit commits what was fetched, processed or not
            auto_offset_reset="earliest",
            max_poll_records=self._batch_size,
            session_timeout_ms=15000,
            heartbeat_interval_ms=3000,
            rebalance_timeout_ms=60000,
        )
        consumer.subscribe(self.topics, listener=_FinishBatchOnRevoke(self._idle))
        await consumer.start()
        self._consumer = consumer
        try:
            while not stop.is_set():
                batch = await consumer.getmany(timeout_ms=500, max_records=self._batch_size)
                if not batch:
                    continue
                self._idle.clear()
                try:
                    for tp, records in batch.items():
                        await self._handle_partition_batch(consumer, tp, records, stop)
                finally:
                    self._idle.set()
        finally:
            self._consumer = None
            await consumer.stop()

    async def _handle_partition_batch(
        self, consumer: AIOKafkaConsumer, tp: TopicPartition, records: list[ConsumerRecord], stop: asyncio.Event
    ) -> None:
        dead = await self._retrying(stop, tp, consumer, lambda: self._apply_batch(records))
        if dead is None:
            return  # revoked or stopping: the next owner gets these records again
        for record, poison in dead:
            await self._retrying(stop, tp, consumer, functools.partial(self._dead_letter, record, poison))
        if tp not in consumer.assignment():
            return
        try:
            await consumer.commit({tp: records[-1].offset + 1})
        except CommitFailedError:
            log.warning("%s: commit for %s failed after a rebalance; the next owner dedupes", self.group, tp)
        self.last_progress = time.monotonic()

    async def _retrying(
        self,
        stop: asyncio.Event,
        tp: TopicPartition,
        consumer: AIOKafkaConsumer,
        work: Callable[[], Awaitable[Any]],
    ) -> Any:
        """Run `work` until it succeeds; None when the partition was revoked or we are stopping."""
        backoff = 0.2
        while True:
            if tp not in consumer.assignment() or stop.is_set():
                return None
            try:
                return await work()
            except _TransientFailure as wrapped:
                exc: BaseException = wrapped.__cause__ or wrapped
            except Exception as raw:
                if not is_transient(raw):
                    raise
                exc = raw
            log.warning("%s: transient failure on %s, retrying in %.1f s: %r", self.group, tp, backoff, exc)
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, MAX_BACKOFF_S)

    async def _apply_batch(self, records: list[ConsumerRecord]) -> list[tuple[ConsumerRecord, Poison]]:
        dead: list[tuple[ConsumerRecord, Poison]] = []
        async with self._pool.acquire() as conn, conn.transaction():
            for record in records:
                poison = await self._apply(conn, record)
                if poison is not None:
                    dead.append((record, poison))
        return dead

    async def _apply(self, conn: Connection, record: ConsumerRecord) -> Poison | None:
        try:
            envelope = Envelope.from_bytes(record.value)
        except Exception as exc:
            return Poison("undecodable", exc)
        handler = self._handlers.get(envelope.type)
        if handler is None:
            self.ignored += 1  # a type this service does not react to
            return None
        try:
            event = decode(envelope)
        except UnknownEventType as exc:
            return Poison("unknown_type", exc)
        except Exception as exc:
            return Poison("invalid", exc)
        attributes = {"messaging.consumer.group.name": self.group, "messaging.message.id": str(envelope.event_id)}
        try:
            async with conn.transaction():  # a savepoint: a failing record leaves its neighbours intact
                if not await first_delivery(conn, self.group, envelope.event_id, envelope.type):
                    self.duplicates += 1
                    return None
                with consumer_span(f"{record.topic} process {envelope.type}", record.headers or (), attributes):
                    await handler(conn, event, envelope)
        except Exception as exc:
            if is_transient(exc):
                raise _TransientFailure() from exc
            log.warning("%s: %s %s dead-lettered: %r", self.group, envelope.type, envelope.event_id, exc)
            return Poison("handler_error", exc)
        self.processed += 1
        if self._on_processed is not None:
            self._on_processed(envelope.type)
        return None

    async def _dead_letter(self, record: ConsumerRecord, poison: Poison) -> None:
        await send_to_dead_letter(self._producer, self._dlq_topic, record, self.group, poison)
        self.dead_lettered += 1
        if self._on_dead_lettered is not None:
            self._on_dead_lettered(poison.kind)


class _FinishBatchOnRevoke(ConsumerRebalanceListener):  # type: ignore[misc]
    """Before partitions move, let the batch in hand finish and commit (it holds no lock getmany needs)."""

    def __init__(self, idle: asyncio.Event) -> None:
        self._idle = idle

    async def on_partitions_revoked(self, revoked: list[TopicPartition]) -> None:
        try:
            await asyncio.wait_for(self._idle.wait(), timeout=45)
        except TimeoutError:
            log.warning("batch still running at revocation of %s; it will be abandoned", revoked)

    async def on_partitions_assigned(self, assigned: list[TopicPartition]) -> None:
        return None
