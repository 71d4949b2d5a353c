"""Monthly sampling at scale (issue 6 §5): 1,000 estates × 200 closed orders, trigger → all SampleDrawn committed.

The population is loaded beforehand with COPY (not timed). The timed part is what the timer loop does
at the draw moment: find the estates whose draw is due, then draw each (claim the sample row, write the
sampled callbacks, `SampleDrawn`, `CallbackScheduled` and `CallbackDue` to the outbox, commit), several
estates at once. Then the outbox relay publishes everything to Kafka, timed separately. Target < 5 s.

    HUIFANG_KAFKA_PORT=27092 HUIFANG_POSTGRES_PORT=27432 uv run python -m bench.callback_sampling
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
import uuid
from datetime import UTC, datetime, timedelta

from huifang_callback.bootstrap import sampler_for
from huifang_callback.config import CallbackSettings
from huifang_callback.service_layer.sample_clock import due_draws
from huifang_contracts.topics import CATALOGUE
from huifang_infra.clock import SettableClock
from huifang_infra.db import create_pool
from huifang_infra.relay import OutboxRelay
from huifang_infra.topics import ensure_topics

from bench.callback_support import count, drop, fresh_callback_database, own_peak_rss_mb, servers

DRAW = datetime(2026, 3, 30, 1, 0, 1, tzinfo=UTC)  # 09:00:01 on 30 March, Beijing
CLOSED = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


async def load(url: str, estates: int, orders: int) -> None:
    import asyncpg

    conn = await asyncpg.connect(url)
    try:
        await conn.copy_records_to_table(
            "estates",
            columns=["group_id", "estate_id", "name", "preset", "timezone"],
            records=[("G1", f"E{e:04d}", f"项目{e}", "residential", "Asia/Shanghai") for e in range(estates)],
        )
        rows = [
            (f"WO-{e:04d}-{o:03d}", "G1", f"E{e:04d}", "repair", "plumbing", f"U-{e}-{o % 150}", "engineering",
             False, CLOSED + timedelta(minutes=o), "2026-03")
            for e in range(estates) for o in range(orders)
        ]  # fmt: skip
        await conn.copy_records_to_table(
            "closed_orders",
            columns=["order_id", "group_id", "estate_id", "kind", "category", "unit_id", "department", "urgent",
                     "closed_at", "local_month"],
            records=rows,
        )  # fmt: skip
    finally:
        await conn.close()


async def run(args: argparse.Namespace) -> None:
    bootstrap, admin = servers()
    name, suffix = "bench_callback_sampling", f"bench{uuid.uuid4().hex[:6]}"
    url = await fresh_callback_database(admin, name)
    await load(url, args.estates, args.orders)
    settings = CallbackSettings(database_url=url, kafka_bootstrap_servers=bootstrap, topic_suffix=suffix)
    catalogue = CATALOGUE.with_suffix(suffix)
    await ensure_topics(bootstrap, catalogue.all_topics())
    pool = await create_pool(url, min_size=args.concurrency, max_size=args.concurrency + 2)
    clock = SettableClock(DRAW)
    sampler = sampler_for(pool, settings, clock)
    try:
        started, cpu_started = time.perf_counter(), time.process_time()
        async with pool.acquire() as conn:
            requests = await due_draws(conn, clock.now())
        found = time.perf_counter()
        drawn = await sampler.draw_many(requests, args.concurrency)
        committed, cpu_used = time.perf_counter(), time.process_time() - cpu_started
        outbox_rows = await count(url, "SELECT count(*) FROM outbox")
        relay = OutboxRelay(pool, bootstrap, name="bench-relay", poll_interval_s=0.2)
        stop = asyncio.Event()
        task = asyncio.create_task(relay.run(stop))
        while await count(url, "SELECT count(*) FROM outbox WHERE published_at IS NULL") > 0:  # noqa: ASYNC110
            await asyncio.sleep(0.2)
        published = time.perf_counter()
        stop.set()
        await task
    finally:
        await pool.close()
    samples = await count(url, "SELECT count(*) FROM samples WHERE jsonb_array_length(chosen) > 0")
    callbacks = await count(url, "SELECT count(*) FROM callbacks")
    print(f"estates × orders            {args.estates} × {args.orders}")
    print(f"draws (2 sampled rules)     {drawn} committed, {samples} non-empty, {callbacks} sampled callbacks")
    print(f"find due draws              {found - started:.2f} s")
    print(f"trigger → all SampleDrawn   {committed - started:.2f} s (target < 5 s)")
    machine = f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    print(f"  CPU of this process        {cpu_used:.2f} s ({machine})")
    print(f"outbox rows                 {outbox_rows}; relay → Kafka {published - committed:.2f} s more")
    print(f"peak RSS of this process    {own_peak_rss_mb():.0f} MB")
    if not args.keep:
        await drop(admin, name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--estates", type=int, default=1000)
    parser.add_argument("--orders", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
