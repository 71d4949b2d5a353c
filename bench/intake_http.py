"""HTTP intake of "close order" commands, driven from a second process.

The intake service runs as a uvicorn subprocess (`python -m huifang_intake`, or `--workers N` uvicorn
workers) against a fresh database; this process drives `POST /orders/closed` (validated, stored with
its history, outboxed, the Idempotency-Key kept) over keep-alive HTTP/1.1 connections. It prints:
requests/s at saturation (closed loop, `--connections` in flight), p50/p99 latency at a fixed
`--rate` (open loop, latency measured from each request's scheduled time, so a stall is not hidden),
the service's peak RSS, and checks that every accepted command reached the outbox and Kafka.

    uv run python -m bench.intake_http                 # servers from the environment, or its own stack
    uv run python -m bench.intake_http --workers 2 --seconds 15

The client is a minimal asyncio HTTP/1.1 writer/reader: on 2 shared cores an httpx client would spend
more CPU per request than the service and measure itself.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import os
import socket
import statistics
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import asyncpg
from huifang_devstack.databases import drop_database
from huifang_infra.auth import DEVELOPMENT_JWT_SECRET, Role, mint_token

from bench.environment import Servers, bench_servers, fresh_database, machine_facts
from bench.intake_load import Driver, percentile

DATABASE = "bench_intake"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (uvicorn workers), from /proc."""
    total = 0
    for p in [pid, *_children(pid)]:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except FileNotFoundError:
            continue
    return total / 1024


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its children so far (clock ticks from /proc/<pid>/stat)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for p in [pid, *_children(pid)]:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def _children(pid: int) -> list[int]:
    try:
        kids = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except FileNotFoundError:
        return []
    return [int(k) for k in kids] + [g for k in kids for g in _children(int(k))]


def start_service(
    args: argparse.Namespace, database_url: str, bootstrap: str, port: int, suffix: str
) -> subprocess.Popen[bytes]:
    env = os.environ | {
        "INTAKE_DATABASE_URL": database_url,
        "INTAKE_KAFKA_BOOTSTRAP_SERVERS": bootstrap,
        "INTAKE_TOPIC_SUFFIX": suffix,
        "INTAKE_TOPIC_PARTITIONS": "12",
        "INTAKE_HTTP_PORT": str(port),
        "INTAKE_JWT_SECRET": DEVELOPMENT_JWT_SECRET,
        "INTAKE_DB_POOL_MAX_SIZE": str(args.pool),
        "INTAKE_ENVIRONMENT": "test",
        "INTAKE_HTTP_WORKERS": str(args.workers),
    }
    command = [sys.executable, "-m", "huifang_intake"]
    log = open(Path(args.log), "wb")  # noqa: SIM115 - closed with the process
    return subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)


async def wait_ready(port: int, timeout_s: float = 90) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(b"GET /readyz HTTP/1.1\r\nHost: bench\r\n\r\n")
            status = await reader.readline()
            writer.close()
            if b" 200 " in status:
                return
        except OSError:
            pass
        await asyncio.sleep(0.5)
    raise RuntimeError("the service did not become ready; see the log")


async def register_estates(driver: Driver, estates: int) -> None:
    for i in range(estates):
        status, _ = await driver.one("POST", "/registry/estates", {"estate_id": f"E{i}", "name": f"项目{i}"})
        assert status in (201, 409), status


def close_order_body(i: int, estates: int) -> dict[str, object]:
    return {
        "estate_id": f"E{i % estates}", "category": "给排水", "subcategory": "排水管", "unit_id": f"T{i % 30}-{i}",
        "requester_name": "李敏", "requester_phone": f"1380013{i % 10000:04d}", "department": "engineering",
        "worker_id": "stf-wang", "fee_cents": 0, "requested_at": "2026-03-02T09:05:00+08:00",
        "closed_at": "2026-03-02T16:40:00+08:00",
        "materials": [{"name": "PVC 排水管 DN50", "quantity": 2, "unit": "米", "source": "company", "verified": True}],
    }  # fmt: skip


async def run(args: argparse.Namespace, servers: Servers) -> None:
    database_url = await fresh_database(servers, DATABASE)
    if args.async_commit:
        # Diagnostic only: commits stop waiting for the WAL flush, so the figures show what the
        # service does when the disk's fsync latency is not the limit. Never a production setting.
        database_url += "?synchronous_commit=off"
    facts = await machine_facts(servers)
    port, suffix = free_port(), f"bench{uuid.uuid4().hex[:8]}"
    service = start_service(args, database_url, servers.bootstrap, port, suffix)
    try:
        await wait_ready(port)
        token = mint_token(DEVELOPMENT_JWT_SECRET, "bench", Role.integration, "G1", ["*"], ttl=_hour())
        driver = Driver("127.0.0.1", port, token, lambda i: close_order_body(i, args.estates), args.key)
        await register_estates(driver, args.estates)
        await driver.closed_loop(args.connections, 3.0)  # warm-up
        peak = [0.0]

        async def sample() -> None:
            while True:
                peak[0] = max(peak[0], rss_mb(service.pid))
                await asyncio.sleep(0.5)

        sampler = asyncio.create_task(sample())
        cpu_before = cpu_seconds(service.pid)
        saturated = await driver.closed_loop(args.connections, args.seconds)
        cpu_ms = (cpu_seconds(service.pid) - cpu_before) * 1000 / max(saturated.ok, 1)
        await asyncio.sleep(2)
        paced = await driver.open_loop(args.rate, args.seconds, args.connections)
        sampler.cancel()
        accepted = saturated.ok + paced.ok + driver.warm_ok
        published = await wait_published(database_url, timeout_s=60)
    finally:
        service.terminate()
        service.wait(timeout=30)
    await drop_database(servers.admin_url, DATABASE)
    lat = paced.latencies_ms
    print("\nintake HTTP benchmark — POST /orders/closed" + (" with Idempotency-Key" if args.key else ""))
    for name, value in facts.items():
        print(f"  {name:<12} {value}")
    commit = "synchronous_commit=off (diagnostic)" if args.async_commit else "durable commits"
    fast = [name for name in ("httptools", "uvloop") if importlib.util.find_spec(name) is not None]
    server = " + ".join(fast) if fast else "h11, asyncio (no httptools/uvloop)"
    print(f"  service      {args.workers} uvicorn worker(s), pool {args.pool}, {server}, {commit}")
    print(f"  saturation   {saturated.ok / args.seconds:8.0f} requests/s  ({args.connections} connections, "
          f"{saturated.failed} failed, target ≥ 1,500)")  # fmt: skip
    print(f"  at {args.rate}/s     sent {paced.ok + paced.failed} in {args.seconds:.0f} s ({paced.failed} failed): "
          f"p50 {percentile(lat, 50):.1f} ms, p99 {percentile(lat, 99):.1f} ms, max {max(lat, default=0):.1f} ms "
          f"(target p99 < 50 ms)")  # fmt: skip
    print(f"  service CPU  {cpu_ms:.2f} ms per request at saturation (→ {1000 / cpu_ms:.0f} requests/s per free core)")
    print(f"  load average {os.getloadavg()[0]:.1f} at the end (other work on the machine skews every figure)")
    print(f"  service RSS  peak {peak[0]:.0f} MB under load (target < 300 MB)")
    print(f"  outbox       {published} of {accepted} accepted commands published to Kafka")
    print(f"  mean latency at saturation {statistics.fmean(saturated.latencies_ms or [0]):.1f} ms")


async def wait_published(database_url: str, timeout_s: float) -> int:
    conn = await asyncpg.connect(database_url)
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            pending = await conn.fetchval("SELECT count(*) FROM outbox WHERE published_at IS NULL")
            if pending == 0 or time.monotonic() > deadline:
                break
            await asyncio.sleep(0.5)
        return int(await conn.fetchval(
            "SELECT count(*) FROM outbox WHERE published_at IS NOT NULL AND event_type = 'intake.OrderClosed'"
        ))  # fmt: skip
    finally:
        await conn.close()


def _hour() -> timedelta:
    return timedelta(hours=2)


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m bench.intake_http", description=__doc__.split("\n\n")[0])
    p.add_argument("--seconds", type=float, default=10.0, help="duration of each measured phase")
    p.add_argument("--connections", type=int, default=32, help="keep-alive connections (closed loop)")
    p.add_argument("--rate", type=int, default=500, help="requests/s of the open-loop phase")
    p.add_argument("--workers", type=int, default=1, help="uvicorn worker processes of the service")
    p.add_argument("--pool", type=int, default=10, help="database connections per worker")
    p.add_argument("--estates", type=int, default=20)
    p.add_argument("--async-commit", action="store_true", help="diagnostic: synchronous_commit=off for the service")
    p.add_argument("--no-key", dest="key", action="store_false", help="send no Idempotency-Key")
    p.add_argument("--kafka-port", type=int, default=26192)
    p.add_argument("--postgres-port", type=int, default=26532)
    p.add_argument("--log", default="/tmp/intake-bench-service.log", help="the service's output")
    args = p.parse_args(argv)
    # The stack starts and stops outside the event loop: its readiness checks run their own loops.
    state = Path(os.environ.get("HUIFANG_CACHE_DIR", ".cache")) / "bench-stack"
    with bench_servers(state, args.kafka_port, args.postgres_port) as servers:
        asyncio.run(run(args, servers))


if __name__ == "__main__":
    main()
