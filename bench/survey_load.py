"""Pieces of the survey benchmark: the service as a subprocess, callbacks to record, and the two loads.

Saturation is closed-loop (N workers, each sends its next record when the previous one answered);
the fixed rate is open-loop: request i is due at start + i/rate and its latency counts from that
moment, so a slow server cannot hide its queueing by slowing the sender (coordinated omission).
"""

from __future__ import annotations

import asyncio
import math
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient
from huifang_contracts.callback import CallbackScheduled
from huifang_contracts.dispatch import CallbackAssigned
from huifang_contracts.enums import CallbackMethod, RequestKind, StaffRole
from huifang_contracts.envelope import Envelope
from huifang_contracts.topics import CATALOGUE

GROUP, CALLER = "grp-bench", "stf-bench"
RATINGS = {"punctuality": "satisfied", "attitude": "very_satisfied", "quality": "fair", "overall": "satisfied"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_service(
    database_url: str, bootstrap: str, suffix: str, port: int, secret: str, log: Path
) -> subprocess.Popen[bytes]:
    """`python -m huifang_survey` with its own database and topics, logging to a file."""
    env = os.environ | {
        "SURVEY_DATABASE_URL": database_url,
        "SURVEY_KAFKA_BOOTSTRAP_SERVERS": bootstrap,
        "SURVEY_TOPIC_SUFFIX": suffix,
        "SURVEY_TOPIC_PARTITIONS": "3",
        "SURVEY_HTTP_PORT": str(port),
        "SURVEY_JWT_SECRET": secret,
        "SURVEY_DB_POOL_MAX_SIZE": "10",
        "SURVEY_ENVIRONMENT": "test",
    }
    out = log.open("wb")
    return subprocess.Popen([sys.executable, "-m", "huifang_survey"], env=env, stdout=out, stderr=subprocess.STDOUT)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> tuple[float, float]:
    """(current, peak) resident set size of the process, MB."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


async def seed_callbacks(bootstrap: str, suffix: str, count: int, estates: int) -> list[tuple[str, str]]:
    """`count` callbacks scheduled by callback and assigned by dispatch, through their topics."""
    now = datetime.now(UTC)
    catalogue = CATALOGUE.with_suffix(suffix, partitions=3)
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", enable_idempotence=True, linger_ms=20)
    await producer.start()
    ids = [(f"cb-{i:06d}", f"est-{i % estates:02d}") for i in range(count)]
    try:
        sends = []
        for callback_id, estate_id in ids:
            scheduled = CallbackScheduled(
                callback_id=callback_id, source_type="intake.OrderClosed", source_id=f"WO-{callback_id}",
                kind=RequestKind.REPAIR, window_start=now - timedelta(days=1), due_at=now - timedelta(days=1),
                deadline=now + timedelta(days=3), method=CallbackMethod.PHONE,
                caller_role=StaffRole.SERVICE_CENTER_STAFF, max_attempts=3, retry_spacing_minutes=60,
                rule_id="repair.sampled", policy_id="pol-bench", policy_version=1, unit_id="T1-101",
                requester_name="李敏", requester_phone="13800138000",
            )  # fmt: skip
            assigned = CallbackAssigned(
                callback_id=callback_id, assignee_id=CALLER, assignee_role=StaffRole.SERVICE_CENTER_STAFF,
                deadline=now + timedelta(days=3),
            )  # fmt: skip
            for event, producer_name in ((scheduled, "callback"), (assigned, "dispatch")):
                env = Envelope.wrap(
                    event, group_id=GROUP, estate_id=estate_id, aggregate_id=callback_id, producer=producer_name,
                    occurred_at=now, recorded_at=now,
                )  # fmt: skip
                sends.append(await producer.send(catalogue.topic_for(env.type), env.to_bytes(), key=env.kafka_key()))
        await asyncio.gather(*sends)
    finally:
        await producer.stop()
    return ids


async def delete_run_topics(bootstrap: str, suffix: str) -> None:
    """This run's suffixed domain topics; nothing shared is touched."""
    names = [spec.name for spec in CATALOGUE.with_suffix(suffix, partitions=3).domain_topics()]
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.delete_topics(names)
    finally:
        await admin.close()


def record(result: str = "reached") -> dict[str, object]:
    return {"result": result, "method": "phone", "answered_by": "李敏", "relation": "self", "ratings": RATINGS}


async def post_record(client: httpx.AsyncClient, callback_id: str) -> float:
    started = time.perf_counter()
    url, key = f"/callbacks/{callback_id}/contacts", {"Idempotency-Key": callback_id}
    try:
        r = await client.post(url, json=record(), headers=key)
    except (httpx.ReadError, httpx.RemoteProtocolError):
        # a kept-alive connection the server closed meanwhile; the key makes the retry safe
        r = await client.post(url, json=record(), headers=key)
    if r.status_code != 201:
        raise RuntimeError(f"{callback_id}: {r.status_code} {r.text[:200]}")
    return time.perf_counter() - started


async def saturate(
    client: httpx.AsyncClient, ids: Iterator[str], workers: int, seconds: float
) -> tuple[int, float, list[float]]:
    """Closed loop: (records, elapsed seconds, latencies)."""
    latencies: list[float] = []
    stop_at = time.perf_counter() + seconds

    async def worker() -> None:
        for callback_id in ids:  # shared: each callback is recorded once
            if time.perf_counter() >= stop_at:
                return
            latencies.append(await post_record(client, callback_id))

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(workers)))
    return len(latencies), time.perf_counter() - started, latencies


async def fixed_rate(
    client: httpx.AsyncClient, ids: Iterator[str], rate: float, seconds: float, connections: int
) -> tuple[list[float], float]:
    """Open loop at `rate`/s over at most `connections` requests in flight (as wrk2 does):
    (latencies from each request's due time, achieved rate). A request that waits for a free
    connection counts that wait: the server was too slow to free one."""
    total = int(rate * seconds)
    start = time.perf_counter() + 0.05
    latencies: list[float] = []
    in_flight = asyncio.Semaphore(connections)

    async def one(i: int, callback_id: str) -> None:
        due = start + i / rate
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        async with in_flight:
            await post_record(client, callback_id)
        latencies.append(time.perf_counter() - due)

    await asyncio.gather(*(one(i, next(ids)) for i in range(total)))
    return latencies, total / (time.perf_counter() - start)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    """Nearest rank: the smallest value with at least p % of the values at or below it."""
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]
