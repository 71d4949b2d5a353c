"""Reporting benchmark: group KPI query over 1,000 estates × 24 months; projection throughput vs a raw
aiokafka read of the same events in the same run; the process's RSS.

    KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:19092 HUIFANG_DATABASE_URL=postgresql://postgres@127.0.0.1:15432/postgres \
        uv run python -m bench.reporting_kpis [--events 20000]

Targets (issue 9): query p95 < 100 ms; RSS < 300 MB. Uses its own database and suffixed topics.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import time
import uuid
from datetime import UTC, datetime, timedelta

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from huifang_contracts.callback import CallbackScheduled
from huifang_contracts.envelope import Envelope
from huifang_contracts.survey import CallbackCompleted
from huifang_infra.auth import Scope
from huifang_infra.db import create_pool
from huifang_infra.localstack import StackSettings
from huifang_infra.localstack.databases import drop_database, ensure_databases, with_database
from huifang_infra.migrations import migrate
from huifang_reporting.bootstrap import build_runtime
from huifang_reporting.config import ReportingSettings
from huifang_reporting.domain.kpis import Counts
from huifang_reporting.service_layer.views import overview

ESTATES, MONTHS = 1000, 24


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def months() -> list[str]:
    return [f"{2024 + i // 12}-{i % 12 + 1:02d}" for i in range(MONTHS)]


async def seed_rollup(pool: object) -> None:
    rng = random.Random(9)
    rows = []
    for e in range(ESTATES):
        for month in months():
            done = rng.randint(20, 60)
            values = {n: 0 for n in Counts.names()}
            values.update(
                callbacks_required=done + 5,
                callbacks_required_done=done,
                callbacks_completed=done,
                callbacks_satisfied=done - rng.randint(0, 5),
                callbacks_on_time=done - rng.randint(0, 3),
                callbacks_failed=rng.randint(0, 4),
                questionnaires_returned=40,
                overall_satisfied=40 - rng.randint(0, 4),
                campaign_issued=50,
                campaign_returned=40,
            )
            rows.append(("G1", f"E{e:04d}", month, *values.values()))
    async with pool.acquire() as conn:  # type: ignore[attr-defined]
        columns = ["group_id", "estate_id", "month", *Counts.names()]
        await conn.copy_records_to_table("estate_month_kpis", records=rows, columns=columns)
        await conn.execute("ANALYZE estate_month_kpis")


async def query_p95(pool: object, runs: int = 60) -> tuple[float, float]:
    scope, timings = Scope("G1", None), []
    for _ in range(runs):
        start = time.perf_counter()
        async with pool.acquire() as conn:  # type: ignore[attr-defined]
            answer = await overview(conn, scope, "2024-01", "2025-12")
        timings.append((time.perf_counter() - start) * 1000)
        assert len(answer["estates"]) == ESTATES
    timings.sort()
    return statistics.median(timings), timings[int(0.95 * (len(timings) - 1))]


def events(count: int) -> list[Envelope]:
    base, out = datetime(2025, 6, 1, tzinfo=UTC), []
    for i in range(count // 2):
        estate, due = f"E{i % 200:04d}", base + timedelta(minutes=i)
        scheduled = CallbackScheduled(
            callback_id=f"cb{i}",
            source_type="intake.OrderClosed",
            source_id=f"o{i}",
            kind="repair",
            window_start=due,
            due_at=due,
            deadline=due + timedelta(days=3),
            method="phone",
            caller_role="service_center_staff",
            max_attempts=3,
            retry_spacing_minutes=60,
            rule_id="r",
            policy_id="p",
            policy_version=1,
            department="engineering",
        )
        completed = CallbackCompleted(
            callback_id=f"cb{i}",
            caller_id="S1",
            method="phone",
            completed_at=due + timedelta(hours=2),
            ratings={"scale": "four_level", "overall": "satisfied"},
            satisfied_or_fair=True,
            late=False,
            attempts_used=1,
        )
        for ev, at in ((scheduled, due), (completed, due + timedelta(hours=2))):
            out.append(
                Envelope.wrap(
                    ev, group_id="G1", estate_id=estate, aggregate_id=f"cb{i}", producer="bench", occurred_at=at
                )
            )
    return out


async def throughput(settings: ReportingSettings, bootstrap: str, count: int) -> tuple[float, float]:
    runtime = build_runtime(settings)
    batch = events(count)
    from huifang_infra.topics import ensure_topics

    await ensure_topics(bootstrap, runtime.catalogue.all_topics())
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", enable_idempotence=True, linger_ms=5)
    await producer.start()
    try:
        for env in batch:
            await producer.send(runtime.catalogue.topic_for(env.type), env.to_bytes(), key=env.kafka_key())
        await producer.flush()
    finally:
        await producer.stop()
    # the backbone's raw limit: the same records read by a bare aiokafka consumer
    topics = sorted({runtime.catalogue.topic_for(e.type) for e in batch})
    raw = AIOKafkaConsumer(*topics, bootstrap_servers=bootstrap, auto_offset_reset="earliest", group_id=None)
    await raw.start()
    start, seen = time.perf_counter(), 0
    try:
        while seen < len(batch):
            for records in (await raw.getmany(timeout_ms=500, max_records=5000)).values():
                seen += len(records)
    finally:
        await raw.stop()
    raw_rate = seen / (time.perf_counter() - start)
    await runtime.start()
    try:
        start = time.perf_counter()
        while runtime.consumer is None or runtime.consumer.processed < len(batch):  # noqa: ASYNC110
            await asyncio.sleep(0.05)
        projected = len(batch) / (time.perf_counter() - start)
    finally:
        await runtime.stop()
    return raw_rate, projected


async def main(count: int) -> None:
    stack = StackSettings()
    admin = os.environ.get("HUIFANG_DATABASE_URL") or f"postgresql://postgres@127.0.0.1:{stack.postgres_port}/postgres"
    bootstrap = os.environ.get("KAFKA_BOOTSTRAP_SERVERS") or f"127.0.0.1:{stack.kafka_port}"
    suffix = uuid.uuid4().hex[:8]
    name = f"bench_reporting_{suffix}"
    await ensure_databases(admin, [name])
    url = with_database(admin, name)
    settings = ReportingSettings(
        database_url=url,
        kafka_bootstrap_servers=bootstrap,
        topic_suffix=suffix,
        topic_partitions=12,
        consumer_batch_size=1000,
        environment="test",
    )
    try:
        pool = await create_pool(url)
        await migrate(pool, build_runtime(settings).migration_sources())
        await seed_rollup(pool)
        median, p95 = await query_p95(pool)
        await pool.close()
        print(
            f"group KPI query, {ESTATES} estates x {MONTHS} months: median {median:.1f} ms, p95 {p95:.1f} ms "
            f"(target < 100 ms)"
        )
        raw, projected = await throughput(settings, bootstrap, count)
        print(
            f"throughput, {count} events: raw aiokafka read {raw:,.0f} ev/s; reporting projection "
            f"{projected:,.0f} ev/s ({100 * projected / raw:.1f} % of raw)"
        )
        print(f"RSS after both: {rss_mb():.0f} MB (target < 300 MB)")
    finally:
        await drop_database(admin, name)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="reporting benchmark (issue 9)")
    parser.add_argument("--events", type=int, default=20000)
    asyncio.run(main(parser.parse_args().events))
