"""Scheduling throughput (issue 6 §3): 100,000 `OrderClosed` from a topic through the callback service.

The events are produced beforehand to a 12-partition topic (240 estates as keys). Then, in the same
run, (1) a raw aiokafka consumer without a group reads them all and parses the JSON — the limit the
client sets on this machine — and (2) the real service (`python -m huifang_callback`, a subprocess)
consumes them with exactly-once effects: inbox row, sample population row, the policy's decision, the
callback and its `CallbackScheduled`/`CallbackDue` outbox rows, one transaction per poll. Timed from
its first committed poll to the last; its peak RSS is read from /proc. `--preset full` schedules a
callback for every repair (the heaviest path); `residential` puts general repairs in the monthly sample.

    HUIFANG_KAFKA_PORT=27092 HUIFANG_POSTGRES_PORT=27432 uv run python -m bench.callback_scheduling
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta

import asyncpg
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient
from huifang_contracts.enums import Channel, RequestKind
from huifang_contracts.envelope import Envelope
from huifang_contracts.intake import OrderClosed
from huifang_contracts.topics import CATALOGUE
from huifang_infra.auth import DEVELOPMENT_JWT_SECRET
from huifang_infra.topics import ensure_topics

from bench.callback_support import count, drop, fresh_callback_database, rss_mb, servers

#: Recent enough that no deadline passes during the run: the timer loop stays idle, as in steady state.
CLOSED = datetime.now(UTC) - timedelta(hours=2)


def envelopes(n: int, estates: int) -> list[Envelope]:
    made = []
    for i in range(n):
        estate = f"E{i % estates:03d}"
        event = OrderClosed(
            order_id=f"WO-{i:07d}",
            request_kind=RequestKind.REPAIR,
            channel=Channel.ERP,
            category="plumbing",
            department="engineering",
            closed_at=CLOSED + timedelta(seconds=i),
            signed_off=True,
            unit_id=f"U-{i % 5000}",
            emergency=i % 50 == 0,
        )
        made.append(
            Envelope.wrap(
                event,
                group_id="G1",
                estate_id=estate,
                aggregate_id=event.order_id,
                producer="intake",
                occurred_at=event.closed_at,
                recorded_at=event.closed_at,
            )
        )
    return made


async def produce_all(bootstrap: str, topic: str, items: list[Envelope]) -> None:
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap, acks="all", enable_idempotence=True, linger_ms=20, max_batch_size=256 * 1024
    )
    await producer.start()
    try:
        futures = [await producer.send(topic, e.to_bytes(), key=e.kafka_key()) for e in items]
        await asyncio.gather(*futures)
    finally:
        await producer.stop()


async def raw_read(bootstrap: str, topic: str, n: int) -> float:
    """Seconds for a group-less consumer to read and JSON-parse n records (from its first record)."""
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest", max_partition_fetch_bytes=4 * 1024 * 1024
    )
    await consumer.start()
    seen, first = 0, None
    try:
        while seen < n:
            for records in (await consumer.getmany(timeout_ms=500, max_records=5000)).values():
                first = first or time.perf_counter()
                for record in records:
                    json.loads(record.value)
                seen += len(records)
    finally:
        await consumer.stop()
    return time.perf_counter() - (first or time.perf_counter())


def start_service(env: dict[str, str]) -> subprocess.Popen[bytes]:
    """The service as it is deployed: `python -m huifang_callback`, its log in /tmp."""
    with open("/tmp/callback-bench-service.log", "wb") as log:
        return subprocess.Popen([sys.executable, "-m", "huifang_callback"], env=env, stdout=log, stderr=log)


async def run(args: argparse.Namespace) -> None:
    bootstrap, admin = servers()
    name, suffix = "bench_callback_scheduling", f"bench{uuid.uuid4().hex[:6]}"
    url = await fresh_callback_database(admin, name)
    conn = await asyncpg.connect(url)
    await conn.copy_records_to_table(
        "estates",
        columns=["group_id", "estate_id", "name", "preset", "timezone"],
        records=[("G1", f"E{e:03d}", f"项目{e}", args.preset, "Asia/Shanghai") for e in range(args.estates)],
    )
    await conn.close()
    catalogue = CATALOGUE.with_suffix(suffix)
    await ensure_topics(bootstrap, catalogue.all_topics())
    topic = catalogue.topic_for("intake.OrderClosed")
    print(f"producing {args.events} OrderClosed to {topic} …", flush=True)
    await produce_all(bootstrap, topic, envelopes(args.events, args.estates))
    raw_s = await raw_read(bootstrap, topic, args.events)
    env = os.environ | {
        "CALLBACK_DATABASE_URL": url, "CALLBACK_KAFKA_BOOTSTRAP_SERVERS": bootstrap,
        "CALLBACK_TOPIC_SUFFIX": suffix, "CALLBACK_HTTP_PORT": str(args.port), "CALLBACK_ENVIRONMENT": "test",
        "CALLBACK_JWT_SECRET": DEVELOPMENT_JWT_SECRET, "CALLBACK_CONSUMER_BATCH_SIZE": str(args.batch),
        "CALLBACK_SAMPLING_ENABLED": "false",
    }  # fmt: skip
    service = start_service(env)
    try:
        first = done = None
        deadline = time.monotonic() + args.timeout
        while time.monotonic() < deadline:
            try:
                seen = await count(url, "SELECT count(*) FROM inbox")
            except Exception:
                seen = 0
            now = time.perf_counter()
            if seen and first is None:
                first = now
            if seen >= args.events:
                done = now
                break
            await asyncio.sleep(0.1)
        peak = rss_mb(service.pid)
        while await count(url, "SELECT count(*) FROM outbox WHERE published_at IS NULL") > 0:  # noqa: ASYNC110
            await asyncio.sleep(0.2)
        drained = time.perf_counter()
    finally:
        service.send_signal(signal.SIGTERM)
        service.wait(timeout=30)
    callbacks = await count(url, "SELECT count(*) FROM callbacks")
    outbox = await count(url, "SELECT count(*) FROM outbox")
    if first is None or done is None:
        print("the service did not finish in time; see /tmp/callback-bench-service.log")
        return
    ours = args.events / (done - first)
    raw = args.events / raw_s
    print(f"preset                       {args.preset} ({callbacks} callbacks, {outbox} outbox rows)")
    print(f"raw aiokafka read + JSON     {raw:,.0f} events/s ({raw_s:.2f} s)")
    print(f"callback service             {ours:,.0f} events/s ({done - first:.2f} s), ratio {ours / raw:.2f}")
    print(f"outbox drained to Kafka      {drained - done:.2f} s after the last poll")
    print(f"service peak RSS             {peak:.0f} MB (target < 300 MB)")
    admin_client = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin_client.start()
    try:
        await admin_client.delete_topics([t.name for t in catalogue.all_topics()])
    except Exception as exc:
        print(f"(topics not deleted: {exc!r})")
    finally:
        await admin_client.close()
    await drop(admin, name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--estates", type=int, default=240)
    parser.add_argument("--preset", default="full", choices=["full", "residential", "commercial"])
    parser.add_argument("--batch", type=int, default=1000, help="CALLBACK_CONSUMER_BATCH_SIZE")
    parser.add_argument("--port", type=int, default=18802)
    parser.add_argument("--timeout", type=float, default=600)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
