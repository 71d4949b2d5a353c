"""Survey benchmark: callback records submitted per second at saturation, p99 at 200/s, and RSS.

    uv run python -m bench.survey_records                  # against the running stack (huifang stack up)
    uv run python -m bench.survey_records --seconds 5      # a quick look

The service runs as `python -m huifang_survey` under uvicorn in a subprocess with its own database
(`bench_survey`, created anew) and topics (`*.bench<run>`), on the stack that `HUIFANG_*` variables
name; this script starts or stops no servers. Each request is one reached callback contact with four
ratings: one transaction that locks the callback, writes the attempt, the record and the idempotency
key, and puts CallbackAttempted + CallbackCompleted in the outbox, which the relay then publishes.
The load generator runs on the same machine and takes its share of the cores.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import time
import uuid
from datetime import timedelta
from pathlib import Path

import asyncpg
import httpx
from huifang_devstack import Stack, StackSettings
from huifang_devstack.databases import drop_database, ensure_databases
from huifang_infra.auth import mint_token
from huifang_infra.database_url import with_database

from bench.survey_load import (
    CALLER,
    GROUP,
    cpu_seconds,
    delete_run_topics,
    fixed_rate,
    free_port,
    percentile,
    rss_mb,
    saturate,
    seed_callbacks,
    start_service,
)  # fmt: skip

SECRET = "bench-survey-secret-0123456789abcdef0123456789"
RSS_LIMIT_MB = 300


async def wait_until(predicate, timeout_s: float, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout_s
    while not await predicate():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}")
        await asyncio.sleep(0.5)


async def main(args: argparse.Namespace) -> None:
    load_before = os.getloadavg()[0]  # the machine is shared: figures depend on what else runs
    stack = Stack(StackSettings())
    bootstrap, admin = stack.kafka_bootstrap, stack.admin_database_url
    suffix = f"bench{uuid.uuid4().hex[:8]}"
    await drop_database(admin, "bench_survey")
    await ensure_databases(admin, ["bench_survey"])
    database_url = with_database(admin, "bench_survey")
    port = free_port()
    log = Path(args.log)
    service = start_service(database_url, bootstrap, suffix, port, SECRET, log)
    token = mint_token(SECRET, CALLER, "service_center_staff", GROUP, ["*"], timedelta(hours=2))
    headers = {"Authorization": f"Bearer {token}"}
    limits = httpx.Limits(max_connections=args.workers + 50, max_keepalive_connections=args.workers + 50)
    try:
        async with httpx.AsyncClient(
            base_url=f"http://127.0.0.1:{port}", headers=headers, timeout=60, limits=limits
        ) as client:

            async def ready() -> bool:
                try:
                    return (await client.get("/readyz")).status_code == 200
                except httpx.TransportError:
                    return False

            await wait_until(ready, 120, f"the service (log: {log})")
            needed = int((args.seconds + 2) * args.max_rate + args.seconds * args.rate) + 200
            print(f"seeding {needed} callbacks through Kafka …", flush=True)
            ids = await seed_callbacks(bootstrap, suffix, needed, estates=12)
            conn = await asyncpg.connect(database_url)
            try:

                async def projected() -> bool:
                    return (
                        int(
                            await conn.fetchval(
                                "SELECT count(*) FROM callbacks WHERE assignee_id IS NOT NULL AND scheduled"
                            )
                        )
                        >= needed
                    )

                await wait_until(projected, 300, "the callbacks to be projected")
                queue = iter([callback_id for callback_id, _ in ids])
                await saturate(client, queue, args.workers, min(2.0, args.seconds))  # warm-up
                cpu_before = cpu_seconds(service.pid)
                done, elapsed, sat_lat = await saturate(client, queue, args.workers, args.seconds)
                cpu_per_record = (cpu_seconds(service.pid) - cpu_before) / done
                await asyncio.sleep(1)
                latencies, achieved = await fixed_rate(client, queue, args.rate, args.seconds, args.workers)
                rss, peak = rss_mb(service.pid)

                async def drained() -> bool:
                    return int(await conn.fetchval("SELECT count(*) FROM outbox WHERE published_at IS NULL")) == 0

                drain_started = time.perf_counter()
                await wait_until(drained, 120, "the outbox to drain")
                drain_s = time.perf_counter() - drain_started
                records = int(await conn.fetchval("SELECT count(*) FROM callback_records"))
                events = int(await conn.fetchval("SELECT count(*) FROM outbox"))
            finally:
                await conn.close()
    finally:
        service.terminate()
        try:
            service.wait(timeout=60)
        except subprocess.TimeoutExpired:
            service.kill()
            service.wait()
        await delete_run_topics(bootstrap, suffix)
    ms = 1000.0
    p = percentile
    rows = [
        (f"records/s at saturation ({args.workers} concurrent clients, {args.seconds:.0f} s)",
         f"{done / elapsed:.0f} ({done} in {elapsed:.1f} s)"),
        ("service CPU per record at saturation (relay included)", f"{cpu_per_record * ms:.2f} ms"),
        ("latency at saturation p50 / p99", f"{p(sat_lat, 50) * ms:.1f} / {p(sat_lat, 99) * ms:.1f} ms"),
        (f"at {args.rate:.0f}/s open loop (achieved {achieved:.0f}/s): p50 / p99 / max",
         f"{p(latencies, 50) * ms:.1f} / {p(latencies, 99) * ms:.1f} / {max(latencies) * ms:.1f} ms"),
        (f"service RSS after the load / peak (limit {RSS_LIMIT_MB} MB)",
         f"{rss:.0f} / {peak:.0f} MB {'ok' if peak < RSS_LIMIT_MB else 'OVER'}"),
        ("load average (1 min) before / after, cores",
         f"{load_before:.1f} / {os.getloadavg()[0]:.1f}, {os.cpu_count()}"),
        (f"records stored / events published (outbox drained {drain_s:.1f} s after the load)", f"{records} / {events}"),
    ]  # fmt: skip
    print("\n| figure | value |\n|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=10.0, help="length of each measured phase")
    parser.add_argument(
        "--workers", type=int, default=32, help="concurrent clients at saturation; connections at the fixed rate"
    )
    parser.add_argument("--rate", type=float, default=200.0, help="the open-loop rate whose latency is reported")
    parser.add_argument("--max-rate", type=float, default=600.0, help="an upper bound of saturation: callbacks seeded")
    parser.add_argument("--log", default="/tmp/bench-survey.log", help="the service's output")
    return parser.parse_args()


if __name__ == "__main__":
    asyncio.run(main(parse()))
