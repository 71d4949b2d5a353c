"""Dispatch benchmark: 50,000 CallbackDue (each after its CallbackScheduled) over 200 estates × 20 staff.

Prints assignments per second through the real consumer (inbox, row locks, outbox), the spread of open
load per eligible person at the end (max − min and standard deviation, per estate and overall), and the
process's RSS (the service runs in this process). Target (issue 7): RSS < 300 MB.

    KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:27092 HUIFANG_DATABASE_URL=postgresql://postgres@127.0.0.1:27432/postgres \
        uv run python -m bench.dispatch_assign [--callbacks 50000] [--estates 200]

Without those variables it starts its own stack (bench.environment). It uses its own database
(`bench_dispatch`, recreated) and topics suffixed `.bench<run>`, deleted at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient
from huifang_contracts.callback import CallbackDue, CallbackScheduled
from huifang_contracts.enums import CallbackMethod, RequestKind, StaffRole
from huifang_contracts.envelope import Envelope
from huifang_dispatch.bootstrap import build
from huifang_dispatch.config import DispatchSettings

from bench.environment import Servers, bench_servers, fresh_database

T0 = datetime(2026, 3, 5, 2, 0, tzinfo=UTC)
# Per estate: 16 service-center staff (half do door visits) take the callbacks; 4 others never do.
ROLES = (
    [StaffRole.SERVICE_CENTER_STAFF] * 16
    + [StaffRole.SITE_CAPTAIN] * 2
    + [StaffRole.DEPARTMENT_HEAD, StaffRole.OFFICE_MANAGER]
)


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def plan(first: int, last: int, estates: int) -> list[Envelope]:
    """Scheduled then Due per callback; in each estate every fifth callback is a door visit."""
    out: list[Envelope] = []
    for i in range(first, last):
        estate = f"E{i % estates:03d}"
        due_at = T0 + timedelta(seconds=i)
        method = CallbackMethod.DOOR if (i // estates) % 5 == 0 else CallbackMethod.PHONE
        scheduled = CallbackScheduled(
            callback_id=f"cb{i:06d}",
            source_type="intake.OrderClosed",
            source_id=f"WO{i:06d}",
            kind=RequestKind.REPAIR,
            window_start=due_at,
            due_at=due_at,
            deadline=due_at + timedelta(days=3),
            method=method,
            caller_role=StaffRole.SERVICE_CENTER_STAFF,
            max_attempts=3,
            retry_spacing_minutes=60,
            rule_id="r",
            policy_id="p",
            policy_version=1,
            department="engineering",
            requester_phone="13800000000",
        )
        due = CallbackDue(
            callback_id=scheduled.callback_id,
            due_at=due_at,
            deadline=scheduled.deadline,
            method=method,
            caller_role=StaffRole.SERVICE_CENTER_STAFF,
        )
        for event in (scheduled, due):
            out.append(
                Envelope.wrap(
                    event,
                    group_id="G1",
                    estate_id=estate,
                    aggregate_id=scheduled.callback_id,
                    producer="callback",
                    occurred_at=due_at,
                    recorded_at=due_at,
                )
            )
    return out


async def produce_all(bootstrap: str, topic: str, callbacks: int, estates: int) -> None:
    """Built and sent 2,500 callbacks at a time, so the plan never inflates the service's RSS."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", enable_idempotence=True, linger_ms=20)
    await producer.start()
    try:
        for start in range(0, callbacks, 2500):
            chunk = plan(start, min(start + 2500, callbacks), estates)
            await asyncio.gather(*[await producer.send(topic, e.to_bytes(), key=e.kafka_key()) for e in chunk])
    finally:
        await producer.stop()


async def run(args: argparse.Namespace, servers: Servers) -> None:
    bootstrap = servers.bootstrap
    suffix = f"bench{uuid.uuid4().hex[:6]}"
    database_url = await fresh_database(servers, "bench_dispatch")
    settings = DispatchSettings(
        database_url=database_url,
        kafka_bootstrap_servers=bootstrap,
        topic_suffix=suffix,
        topic_partitions=12,
        consumer_batch_size=args.batch,
        db_pool_max_size=4,
        unassigned_retry_seconds=3600,
    )
    runtime, _ctx = build(settings)
    async with runtime.running():
        rss_before = rss_mb()
        async with runtime.pool.acquire() as conn:
            await conn.executemany(
                """INSERT INTO staff (staff_id, group_id, estate_id, name, role, door_visits)
                   VALUES ($1, 'G1', $2, $1, $3, $4)""",
                [
                    (f"E{e:03d}-s{k:02d}", f"E{e:03d}", role.value, k % 2 == 0)
                    for e in range(args.estates)
                    for k, role in enumerate(ROLES)
                ],
            )
        topic = runtime.catalogue.topic_for("callback.CallbackDue")
        # The consumer runs while the events arrive: timed from the first send to the last assignment.
        started = time.monotonic()
        producing = asyncio.create_task(produce_all(bootstrap, topic, args.callbacks, args.estates))
        peak = rss_mb()
        while True:
            async with runtime.pool.acquire() as conn:
                done = await conn.fetchval("SELECT count(*) FROM callbacks WHERE status = 'assigned'")
            peak = max(peak, rss_mb())
            if done >= args.callbacks:
                break
            await asyncio.sleep(0.5)
        elapsed = time.monotonic() - started
        await producing
        async with runtime.pool.acquire() as conn:
            rows = await conn.fetch(
                """SELECT s.estate_id, coalesce(l.open_load, 0) AS open_load
                   FROM staff s LEFT JOIN staff_loads l USING (staff_id)
                   WHERE s.role = 'service_center_staff' ORDER BY s.estate_id"""
            )
            unpublished = await conn.fetchval("SELECT count(*) FROM outbox WHERE published_at IS NULL")
    per_estate: dict[str, list[int]] = {}
    for row in rows:
        per_estate.setdefault(row["estate_id"], []).append(row["open_load"])
    loads = [r["open_load"] for r in rows]
    spreads = [max(v) - min(v) for v in per_estate.values()]
    print(
        f"assignments:            {args.callbacks:,} in {elapsed:.1f} s = {args.callbacks / elapsed:,.0f} /s "
        f"({2 * args.callbacks / elapsed:,.0f} events/s incl. CallbackScheduled)"
    )
    print(
        f"open load per person:   mean {statistics.mean(loads):.2f}, overall max−min {max(loads) - min(loads)}, "
        f"stddev {statistics.pstdev(loads):.3f} over {len(loads):,} eligible people"
    )
    print(f"per estate max−min:     worst {max(spreads)}, mean {statistics.mean(spreads):.2f}")
    print(
        f"RSS:                    {rss_before:.0f} MB once started, peak {peak:.0f} MB while assigning "
        f"(target < 300 MB); outbox rows left unpublished at the end {unpublished}"
    )
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.delete_topics([t.name for t in runtime.catalogue.all_topics() if t.name.endswith(suffix)])
    finally:
        await admin.close()


def main() -> None:
    p = argparse.ArgumentParser(prog="python -m bench.dispatch_assign", description=__doc__)
    p.add_argument("--callbacks", type=int, default=50_000)
    p.add_argument("--estates", type=int, default=200)
    p.add_argument("--batch", type=int, default=500, help="consumer batch size")
    args = p.parse_args()
    cache = Path(os.environ.get("HUIFANG_CACHE_DIR", ".cache"))
    with bench_servers(cache / "bench-stack", 26192, 26532) as servers:
        asyncio.run(run(args, servers))


if __name__ == "__main__":
    main()
