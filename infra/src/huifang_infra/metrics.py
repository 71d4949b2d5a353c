"""The Prometheus metrics of a service: what the consumer, the relay and the outbox report.

Each `Metrics` owns its registry, so two apps (or two tests) in one process never collide over a
metric name; `/metrics` serves that registry. The consumer and relay take plain callbacks
(`metrics.processed_by(group)`, `metrics.record_published`) and never import Prometheus.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

import asyncpg
from aiokafka import AIOKafkaConsumer
from prometheus_client import CollectorRegistry, Counter, Gauge, generate_latest
from prometheus_client.gc_collector import GCCollector
from prometheus_client.platform_collector import PlatformCollector
from prometheus_client.process_collector import ProcessCollector

from huifang_infra.outbox import backlog

log = logging.getLogger(__name__)


class Metrics:
    """Counters and gauges of one service process, in their own registry."""

    def __init__(self, *, process_collectors: bool = True) -> None:
        self.registry = CollectorRegistry()
        if process_collectors:  # CPU, memory, open files, GC: what an operator checks first
            ProcessCollector(registry=self.registry)
            PlatformCollector(registry=self.registry)
            GCCollector(registry=self.registry)
        r = self.registry
        self.events_processed = Counter(
            "events_processed",
            "Events a consumer applied (duplicates excluded).",
            ["consumer", "event_type"],
            registry=r,
        )
        self.events_dead_lettered = Counter(
            "events_dead_lettered", "Records sent to a dead-letter topic.", ["consumer", "reason"], registry=r
        )
        self.consumer_lag = Gauge(
            "consumer_lag", "Records after a group's committed offset.", ["consumer", "topic", "partition"], registry=r
        )
        self.outbox_backlog = Gauge("outbox_backlog", "Outbox rows not yet published.", registry=r)
        self.outbox_published = Counter("outbox_published", "Outbox rows published to Kafka.", registry=r)
        self.group_commit_statements = Counter(
            "group_commit_statements", "Statements a group commit wrote (batches).", ["writes"], registry=r
        )
        self.group_commit_items = Counter(
            "group_commit_items", "Items in them: items / statements is the mean batch.", ["writes"], registry=r
        )
        self.task_restarts = Counter(
            "background_task_restarts",
            "Background tasks (relay, consumer, timers) started again after ending or failing.",
            ["task"],
            registry=r,
        )
        self._lag_labels: dict[str, set[tuple[str, str]]] = {}

    def processed_by(self, consumer: str) -> Callable[[str], None]:
        """The consumer's `on_processed(event_type)` callback."""
        return lambda event_type: self.events_processed.labels(consumer, event_type).inc()

    def dead_lettered_by(self, consumer: str) -> Callable[[str], None]:
        """The consumer's `on_dead_lettered(reason)` callback."""
        return lambda reason: self.events_dead_lettered.labels(consumer, reason).inc()

    def group_committed(self, writes: str) -> Callable[[int], None]:
        """A `GroupCommit`'s `on_batch(size)` callback."""
        statements, items = self.group_commit_statements.labels(writes), self.group_commit_items.labels(writes)

        def count(size: int) -> None:
            statements.inc()
            items.inc(size)

        return count

    def record_published(self, count: int) -> None:
        """The relay's `on_published(count)` callback."""
        self.outbox_published.inc(count)

    def set_consumer_lag(self, consumer: str, lag: dict[tuple[str, int], int]) -> None:
        """Replace a consumer's lag series; partitions it no longer holds disappear instead of freezing."""
        current = {(topic, str(partition)) for topic, partition in lag}
        for gone_topic, gone_partition in self._lag_labels.get(consumer, set()) - current:
            self.consumer_lag.remove(consumer, gone_topic, gone_partition)
        for (topic, partition), value in lag.items():
            self.consumer_lag.labels(consumer, topic, str(partition)).set(value)
        self._lag_labels[consumer] = current

    def exposition(self) -> bytes:
        """The registry in Prometheus text format."""
        return generate_latest(self.registry)


async def consumer_lag(consumer: AIOKafkaConsumer) -> dict[tuple[str, int], int]:
    """Per assigned partition: log end offset minus the group's committed offset.

    Committed, not fetched: our consumers commit after the database commit, so this counts what is
    not yet applied. A partition never committed counts from its first retained record.
    """
    partitions = list(consumer.assignment())
    if not partitions:
        return {}
    ends = await consumer.end_offsets(partitions)
    starts = await consumer.beginning_offsets(partitions)
    lag: dict[tuple[str, int], int] = {}
    for tp in partitions:
        committed = await consumer.committed(tp)
        position = committed if committed is not None else starts[tp]
        lag[(tp.topic, tp.partition)] = max(ends[tp] - position, 0)
    return lag


async def refresh_consumer_lag(metrics: Metrics, name: str, consumer: AIOKafkaConsumer) -> None:
    """Set the `consumer_lag` gauge of consumer group `name` from its Kafka consumer."""
    metrics.set_consumer_lag(name, await consumer_lag(consumer))


async def refresh_outbox_backlog(metrics: Metrics, pool: asyncpg.Pool) -> None:
    """Set the `outbox_backlog` gauge from the service's outbox table."""
    async with pool.acquire() as conn:
        metrics.outbox_backlog.set(await backlog(conn))


async def refresh_every(stop: asyncio.Event, interval_s: float, refresh: Callable[[], Awaitable[None]]) -> None:
    """Run `refresh` until `stop`; gauges need polling, and a failed refresh must not end the loop."""
    while not stop.is_set():
        try:
            await refresh()
        except Exception as exc:  # the database or broker may be away; the gauge keeps its last value
            log.warning("metrics refresh failed: %r", exc)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), interval_s)
