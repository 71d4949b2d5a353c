"""The idempotent consumer every service uses.

Each poll is applied in one database transaction: one inbox insert for all its event ids (the ids
already there are skipped), then the handlers in record order, then commit. Offsets are committed
only after that transaction, for the partitions still assigned, at most every `commit_interval_s`
and always before partitions are revoked or the consumer stops: the inbox, not the offset, is what
makes an effect happen once, so a crash between the two costs a redelivery that is skipped. Round
trips per poll, not per event, are what make exactly-once cheap. When a handler fails, the poll is rolled back and
replayed a record at a time, each in a savepoint, so only the poison record is parked in
`<group>.dlq` with its reason. A database or broker that is away is waited for, never skipped.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from typing import Any
from uuid import UUID

import asyncpg
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRebalanceListener
from aiokafka.errors import CommitFailedError
from aiokafka.structs import ConsumerRecord, TopicPartition
from opentelemetry.trace import Span

from huifang_infra.consumed import BatchHandler, Delivery, Handler, Poll, RecordDecoder, runs_of, sort_poll
from huifang_infra.db import Connection
from huifang_infra.deadletter import Poison, send_to_dead_letter
from huifang_infra.inbox import first_deliveries, first_delivery
from huifang_infra.metrics import consumer_lag
from huifang_infra.telemetry import consumer_span, consumer_span_headers, kafka_trace_headers, tracing_installed
from huifang_infra.telemetry.causes import traces_by_cause
from huifang_infra.transient import is_transient

__all__ = ["BatchHandler", "Delivery", "Handler", "IdempotentConsumer", "Poison", "RecordDecoder"]

log = logging.getLogger(__name__)

MAX_BACKOFF_S = 10.0
COMMIT_INTERVAL_S = 0.5
#: A member not heard from for this long is dropped and its partitions go to the others: the pause
#: after a kill -9. The broker refuses less than its group.min.session.timeout.ms (6 s by default).
SESSION_TIMEOUT_MS = 10_000


class _HandlerFailed(Exception):
    """A handler raised a non-transient error while the poll ran as one batch: replay it per record."""


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
        batch_handlers: Mapping[str, BatchHandler] | None = None,
        decoders: Mapping[str, RecordDecoder] | None = None,
        batch_size: int = 500,
        commit_interval_s: float = COMMIT_INTERVAL_S,
        on_processed: Callable[[str], None] | None = None,
        on_dead_lettered: Callable[[str], None] | None = None,
        group_instance_id: str | None = None,
        session_timeout_ms: int = SESSION_TIMEOUT_MS,
    ) -> None:
        self.group, self.topics = group, topics
        # Static membership (KIP-345): a process killed and started again under the same instance id
        # takes its partitions back at once instead of after the dead member's session timeout.
        self.group_instance_id, self._session_timeout_ms = group_instance_id, session_timeout_ms
        self._bootstrap, self._pool = bootstrap, pool
        self._handlers, self._batch_handlers = dict(handlers), dict(batch_handlers or {})
        self._handled = set(self._handlers) | set(self._batch_handlers)
        self._decoders = dict(decoders or {})  # topic → decoder, for topics without our envelope
        self._dlq_topic, self._producer, self._batch_size = dead_letter_topic, producer, batch_size
        self._on_processed, self._on_dead_lettered = on_processed, on_dead_lettered
        self._consumer: AIOKafkaConsumer | None = None
        self._commit_interval_s = commit_interval_s
        self._pending: dict[TopicPartition, int] = {}  # applied, offset not yet committed
        self._last_commit = time.monotonic()
        self._idle = asyncio.Event()  # no poll in hand: what is applied is all there is to commit
        self._idle.set()
        self._may_fetch = asyncio.Event()  # cleared while partitions are being revoked
        self._may_fetch.set()
        self.processed = self.duplicates = self.ignored = self.dead_lettered = 0
        self.last_progress = time.monotonic()

    # -- state for health checks and the watchdog ------------------------------------------------
    @property
    def assigned(self) -> bool:
        return self._consumer is not None and bool(self._consumer.assignment())

    async def lag(self) -> dict[tuple[str, int], int]:
        """Records after the committed offset per assigned partition (empty before assignment)."""
        return await consumer_lag(self._consumer) if self._consumer is not None else {}

    # -- the loop ---------------------------------------------------------------------------------
    async def run(self, stop: asyncio.Event) -> None:
        consumer = AIOKafkaConsumer(
            bootstrap_servers=self._bootstrap,
            group_id=self.group,
            enable_auto_commit=False,  # auto-commit commits what was fetched, processed or not
            auto_offset_reset="earliest",
            max_poll_records=self._batch_size,
            group_instance_id=self.group_instance_id,
            session_timeout_ms=self._session_timeout_ms,
            heartbeat_interval_ms=max(self._session_timeout_ms // 3, 500),
            rebalance_timeout_ms=60000,
        )
        listener = _FinishBatchOnRevoke(self._idle, self._may_fetch, self._commit_pending)
        consumer.subscribe(self.topics, listener=listener)
        await consumer.start()
        self._consumer = consumer
        applying: asyncio.Task[None] | None = None
        try:
            while not stop.is_set():
                if not self._may_fetch.is_set():  # a revocation waits for the poll in hand, and no other
                    await _finished(applying)
                    applying = None
                    self._idle.set()
                    await self._may_fetch.wait()
                    continue
                # While poll N's transaction runs in the database, poll N+1 is fetched and decoded here.
                batch = await consumer.getmany(timeout_ms=0 if applying else 500, max_records=self._batch_size)
                if batch:
                    self._idle.clear()
                    poll = await sort_poll(batch, self._handled, self._decoders)
                    await _finished(applying)
                    applying = asyncio.create_task(self._handle_poll(consumer, poll, stop))
                else:
                    await _finished(applying)
                    applying = None
                    self._idle.set()
                if not batch or time.monotonic() - self._last_commit >= self._commit_interval_s:
                    await self._commit_pending()
            await _finished(applying)
            applying = None
            await self._commit_pending()
        finally:
            if applying is not None:
                applying.cancel()
                await asyncio.gather(applying, return_exceptions=True)
            self._idle.set()
            self._consumer = None
            await consumer.stop()

    async def _commit_pending(self, partitions: list[TopicPartition] | None = None) -> None:
        """Commit the offsets past what the database holds, for partitions still ours."""
        consumer = self._consumer
        if consumer is None or not self._pending:
            return
        assigned = consumer.assignment()
        chosen = [tp for tp in self._pending if tp in assigned and (partitions is None or tp in partitions)]
        offsets = {tp: self._pending.pop(tp) for tp in chosen}
        for tp in [tp for tp in self._pending if tp not in assigned]:
            del self._pending[tp]  # no longer ours: the next owner dedupes
        self._last_commit = time.monotonic()
        if not offsets:
            return
        try:
            await consumer.commit(offsets)
        except CommitFailedError:
            log.warning("%s: commit failed after a rebalance; the next owner dedupes", self.group)

    async def _handle_poll(self, consumer: AIOKafkaConsumer, poll: Poll, stop: asyncio.Event) -> None:
        self.ignored += poll.ignored
        applied = await self._retrying(stop, consumer, poll, lambda: self._apply_poll(poll))
        if applied is None:
            return  # every partition revoked, or stopping: the next owner gets these records again
        dead = poll.poison + applied
        for record, poison in dead:
            parked = await self._retrying(stop, consumer, poll, functools.partial(self._dead_letter, record, poison))
            if parked is None:
                return
        for tp, last in poll.last_offsets.items():
            self._pending[tp] = last + 1
        self.last_progress = time.monotonic()

    async def _retrying(
        self, stop: asyncio.Event, consumer: AIOKafkaConsumer, poll: Poll, work: Callable[[], Awaitable[Any]]
    ) -> Any:
        """Run `work` until it succeeds; None when the poll's partitions are all revoked or we stop."""
        backoff = 0.2
        while True:
            if stop.is_set() or not any(tp in consumer.assignment() for tp in poll.last_offsets):
                return None
            try:
                return await work()
            except Exception as exc:
                if not is_transient(exc):
                    raise
                log.warning("%s: transient failure, retrying in %.1f s: %r", self.group, backoff, exc)
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, MAX_BACKOFF_S)

    # -- applying ---------------------------------------------------------------------------------
    async def _apply_poll(self, poll: Poll) -> list[tuple[ConsumerRecord, Poison]]:
        """Everything in one transaction; on a handler's failure, replay record by record."""
        if not poll.deliveries:
            return []
        try:
            async with self._pool.acquire() as conn, conn.transaction():
                fresh = await first_deliveries(
                    conn, self.group, [(d.envelope.event_id, d.envelope.type) for d in poll.deliveries]
                )
                todo = poll.deliveries if fresh is None else _first_occurrences(poll.deliveries, fresh)
                for run in runs_of(todo, key=lambda t: self._batch_handlers.get(t) or t):
                    await self._apply_run(conn, run)
        except _HandlerFailed:
            return await self._apply_one_by_one(poll.deliveries)
        self._count(todo, len(poll.deliveries) - len(todo))
        return []

    async def _apply_run(self, conn: Connection, run: list[Delivery]) -> None:
        batch_handler = self._batch_handlers.get(run[0].envelope.type)
        try:
            if batch_handler is not None:
                # one span per record, so each event's trace goes on through the rows it causes
                causes = self._record_spans(run)
                with traces_by_cause(causes):
                    await batch_handler(conn, [(d.event, d.envelope) for d in run])
                return
            for delivery in run:
                await self._handle(conn, delivery)
        except Exception as exc:
            if is_transient(exc):
                raise
            raise _HandlerFailed() from exc

    def _span(self, delivery: Delivery) -> AbstractContextManager[Span]:
        """The record's CONSUMER span, parented by the trace its headers carry."""
        return consumer_span(*self._span_args(delivery))

    def _record_spans(self, run: list[Delivery]) -> dict[UUID, dict[str, str]]:
        """Each record's CONSUMER span, ended at once, as the trace headers its effects continue.

        Without a tracer provider the span would only repeat the record's own context, so the
        record's headers are taken as they are (a large share of a poll's cost otherwise).
        """
        if not tracing_installed():
            return {d.envelope.event_id: kafka_trace_headers(d.record.headers or ()) for d in run}
        return {d.envelope.event_id: consumer_span_headers(*self._span_args(d)) for d in run}

    def _span_args(self, delivery: Delivery) -> tuple[str, Sequence[tuple[str, bytes | None]], dict[str, str]]:
        envelope = delivery.envelope
        attributes = {"messaging.consumer.group.name": self.group, "messaging.message.id": str(envelope.event_id)}
        return f"{delivery.record.topic} process {envelope.type}", delivery.record.headers or (), attributes

    async def _handle(self, conn: Connection, delivery: Delivery) -> None:
        envelope = delivery.envelope
        with self._span(delivery):
            handler = self._handlers.get(envelope.type)
            if handler is not None:
                await handler(conn, delivery.event, envelope)
            else:
                await self._batch_handlers[envelope.type](conn, [(delivery.event, envelope)])

    async def _apply_one_by_one(self, deliveries: list[Delivery]) -> list[tuple[ConsumerRecord, Poison]]:
        """The slow path, only after a failure: a savepoint per record isolates the poison."""
        dead: list[tuple[ConsumerRecord, Poison]] = []
        applied: list[Delivery] = []
        duplicates = 0
        async with self._pool.acquire() as conn, conn.transaction():
            for delivery in deliveries:
                envelope = delivery.envelope
                try:
                    async with conn.transaction():
                        if not await first_delivery(conn, self.group, envelope.event_id, envelope.type):
                            duplicates += 1
                            continue
                        await self._handle(conn, delivery)
                except Exception as exc:
                    if is_transient(exc):
                        raise
                    log.warning("%s: %s %s dead-lettered: %r", self.group, envelope.type, envelope.event_id, exc)
                    dead.append((delivery.record, Poison("handler_error", exc)))
                    continue
                applied.append(delivery)
        self._count(applied, duplicates)
        return dead

    def _count(self, applied: list[Delivery], duplicates: int) -> None:
        self.processed += len(applied)
        self.duplicates += duplicates
        if self._on_processed is not None:
            for delivery in applied:
                self._on_processed(delivery.envelope.type)

    async def _dead_letter(self, record: ConsumerRecord, poison: Poison) -> bool:
        await send_to_dead_letter(self._producer, self._dlq_topic, record, self.group, poison)
        self.dead_lettered += 1
        if self._on_dead_lettered is not None:
            self._on_dead_lettered(poison.kind)
        return True


def _first_occurrences(deliveries: list[Delivery], fresh: set[UUID]) -> list[Delivery]:
    """The deliveries whose ids the inbox took now, each once: a re-sent copy may share the poll."""
    todo = []
    for delivery in deliveries:
        if delivery.envelope.event_id in fresh:
            fresh.discard(delivery.envelope.event_id)
            todo.append(delivery)
    return todo


async def _finished(applying: asyncio.Task[None] | None) -> None:
    """Wait for the poll being applied (its error, if any, is the loop's); nothing is in hand after."""
    if applying is not None:
        await applying


class _FinishBatchOnRevoke(ConsumerRebalanceListener):  # type: ignore[misc]
    """Before partitions move, stop fetching, let the polls in hand finish, then commit their offsets.

    The loop holds up to two polls (one applying, the next decoded); clearing `may_fetch` makes it
    apply those and take no more, so `idle` is reached. Nothing getmany needs is held meanwhile, so
    waiting here is safe; committing here is what keeps the next owner from redoing (and deduping)
    everything since the last periodic commit.
    """

    def __init__(
        self,
        idle: asyncio.Event,
        may_fetch: asyncio.Event,
        commit: Callable[[list[TopicPartition]], Awaitable[None]],
    ) -> None:
        self._idle, self._may_fetch, self._commit = idle, may_fetch, commit

    async def on_partitions_revoked(self, revoked: list[TopicPartition]) -> None:
        self._may_fetch.clear()
        try:
            try:
                await asyncio.wait_for(self._idle.wait(), timeout=45)
            except TimeoutError:
                log.warning("batch still running at revocation of %s; it will be abandoned", revoked)
                return
            try:
                await self._commit(list(revoked))
            except Exception as exc:  # the group is rebalancing; the next owner dedupes what we applied
                log.warning("commit at revocation of %s failed: %r", revoked, exc)
        finally:
            self._may_fetch.set()

    async def on_partitions_assigned(self, assigned: list[TopicPartition]) -> None:
        return None
