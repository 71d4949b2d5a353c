"""End to end: from `order_closed` on the ERP topic to `CallbackScheduled` visible in callback's API.

    uv run python -m bench.e2e_latency                  # 100 and 500 events/s, 5 minutes each
    uv run python -m bench.e2e_latency --seconds 30     # a quick look

The whole demo stack runs on its own ports and state folder (Kafka, PostgreSQL, Zipkin receiving every
service's spans) with the five services as processes (`python -m huifang_<svc>`, as `huifang demo up`
runs them). ERP messages for estates on the `full` preset (every repair is called back, R-CB-5) are
produced at a fixed rate, each with `closed_at` = the moment it is sent; a poller reads callback's
`GET /callbacks?state=due&due_from=…` without pause and notes when each order's callback first shows.
Latency = first seen − sent; the poller's own round trip (printed) bounds the resolution. The memory
figure is the sum of RSS of the five services, Kafka, PostgreSQL (its forks share memory, so the sum
over-counts it) and Zipkin, taken at the end of each phase (target < 2.5 GB).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import shutil
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import psutil
from aiokafka import AIOKafkaProducer
from huifang_devstack import Stack, StackSettings
from huifang_devstack.databases import drop_database, ensure_databases
from huifang_infra.auth import DEVELOPMENT_JWT_SECRET, Role, mint_token
from huifang_infra.database_url import with_database

from bench.e2e_observe import Phase, Poller, percentile
from tests.support.processes import SERVICES, ServiceSystem

GROUP = "bench-group"
ESTATES = [f"est-b{i:02d}" for i in range(20)]


def _options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=300.0, help="length of each rate's run (default 300)")
    parser.add_argument("--rates", default="100,500", help="events per second, comma-separated")
    parser.add_argument("--state-dir", type=Path, default=Path(".cache/bench-e2e-stack"))
    parser.add_argument("--kafka-port", type=int, default=26392)
    parser.add_argument("--postgres-port", type=int, default=26732)
    parser.add_argument("--zipkin-port", type=int, default=26411)
    parser.add_argument("--no-trace-viewer", action="store_true", help="no Zipkin, no span export (its cost)")
    return parser.parse_args()


def _order(n: int, phase: str, sent: datetime) -> tuple[bytes, bytes]:
    estate = ESTATES[n % len(ESTATES)]
    data = {
        "category": "给排水", "department": "engineering", "unit_id": f"U-{n % 5000}",
        "requested_at": (sent - timedelta(hours=1)).isoformat(), "closed_at": sent.isoformat(),
    }  # fmt: skip
    message = {"format_version": 1, "kind": "order_closed", "erp_system": "bench", "erp_id": f"{phase}-{n}",
               "group_id": GROUP, "estate_id": estate, "data": data}  # fmt: skip
    return estate.encode(), json.dumps(message, ensure_ascii=False).encode()


async def _produce(system: ServiceSystem, phase: Phase, rate: int, seconds: float) -> None:
    """`rate` messages a second in ticks of 20 ms, each stamped with the moment it is handed to Kafka."""
    producer = AIOKafkaProducer(bootstrap_servers=system.kafka_bootstrap, acks="all", enable_idempotence=True,
                                linger_ms=2)  # fmt: skip
    await producer.start()
    topic = system.topic("erp.inbound")
    try:
        began = time.monotonic()
        n = 0
        while (elapsed := time.monotonic() - began) < seconds:
            due = int(elapsed * rate) + 1
            futures = []
            while n < due:
                sent = datetime.now(UTC)
                key, value = _order(n, phase.name, sent)
                phase.note_sent(f"bench-{phase.name}-{n}", sent)
                futures.append(await producer.send(topic, value, key=key))
                n += 1
            await asyncio.gather(*futures)
            await asyncio.sleep(0.02)
    finally:
        await producer.stop()


async def _run_phase(system: ServiceSystem, client: httpx.AsyncClient, rate: int, seconds: float) -> Phase:
    phase = Phase(f"r{rate}t{int(time.time())}")
    poller = Poller(client, system.url("callback"), phase, since=datetime.now(UTC) - timedelta(seconds=5))
    watching = asyncio.create_task(poller.run())
    await _produce(system, phase, rate, seconds)
    for _ in range(120):  # the tail, up to 60 s: let the backlog drain before counting what never showed
        if len(phase.seen) >= len(phase.sent):
            break
        await asyncio.sleep(0.5)
    poller.stop = True
    await watching
    return phase


async def _prepare(system: ServiceSystem, client: httpx.AsyncClient) -> None:
    """The estates on the `full` preset, and callback knowing each of them before the clock starts."""
    for estate in ESTATES:
        body = {"estate_id": estate, "name": f"压测项目 {estate}", "preset": "full"}
        answer = await client.post(f"{system.url('intake')}/registry/estates", json=body)
        assert answer.status_code in (201, 409), answer.text
    probe = {"complaint_id": "x", "grade": "general", "validity": "valid", "category": "给排水", "department": "e",
             "resolved_at": datetime.now(UTC).isoformat(), "accepted_by_requester": True}  # fmt: skip
    for estate in ESTATES:
        for _ in range(240):
            ask = {"estate_id": estate, "event_type": "intake.ComplaintResolved", "payload": probe}
            answer = await client.post(f"{system.url('callback')}/policies/preview", json=ask)
            if answer.status_code == 200 and answer.json()["policy_id"] == "preset-full":
                break
            await asyncio.sleep(0.5)


def _pss_mib(system: ServiceSystem, stack: Stack) -> float:
    """The stack's real footprint: proportional set size, shared pages split among their sharers."""
    roots = [svc.popen.pid for svc in system.services.values() if svc.popen is not None and svc.popen.poll() is None]
    servers = (stack.kafka.process, stack.postgres.process, stack.zipkin.process)
    roots += [pid for pid in (server.pid() for server in servers) if pid]
    total = 0
    for root in roots:
        try:
            proc = psutil.Process(root)
            for one in [proc, *proc.children(recursive=True)]:
                total += one.memory_full_info().pss
        except psutil.Error:
            continue
    return total / 2**20


def _rss_by_component(system: ServiceSystem, stack: Stack) -> str:
    """Where the memory is: each service, each server (PostgreSQL with its forks, and how many)."""
    parts = []
    for name, svc in system.services.items():
        if svc.popen is not None and svc.popen.poll() is None:
            with contextlib.suppress(psutil.Error):
                parts.append(f"{name} {psutil.Process(svc.popen.pid).memory_info().rss / 2**20:.0f}")
    for label, server in (("kafka", stack.kafka.process), ("zipkin", stack.zipkin.process)):
        if (rss := server.rss_bytes()) is not None:
            parts.append(f"{label} {rss / 2**20:.0f}")
    if (pid := stack.postgres.process.pid()) is not None:
        forks = len(psutil.Process(pid).children(recursive=True))
        parts.append(f"postgres {(stack.postgres.process.rss_bytes() or 0) / 2**20:.0f} ({forks + 1} processes)")
    return "RSS MiB by component: " + ", ".join(parts)


async def _rss_mib(system: ServiceSystem, stack: Stack) -> tuple[float, float]:
    stack_rss = sum(c.rss_bytes or 0 for c in await asyncio.to_thread(stack.status))
    return system.rss_bytes() / 2**20, (system.rss_bytes() + stack_rss) / 2**20


async def _main_async(options: argparse.Namespace, system: ServiceSystem, stack: Stack) -> None:
    token = mint_token(DEVELOPMENT_JWT_SECRET, "bench", Role.admin, GROUP, ["*"], timedelta(hours=4))
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(headers=headers, timeout=30.0, trust_env=False) as client:
        await _prepare(system, client)
        print(f"{'rate/s':>7} {'sent':>7} {'seen':>7} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} "
              f"{'poll ms':>8} {'done/s':>7} {'services MiB':>13} {'stack MiB':>10} {'stack PSS MiB':>14}")  # fmt: skip
        for rate in (int(r) for r in options.rates.split(",")):
            phase = await _run_phase(system, client, rate, options.seconds)
            lat = phase.latencies_ms()
            services, total = await _rss_mib(system, stack)
            pss = await asyncio.to_thread(_pss_mib, system, stack)
            figures = [percentile(lat, 50), percentile(lat, 99), max(lat, default=0), phase.poll_ms()]
            print(f"{rate:>7} {len(phase.sent):>7} {len(phase.seen):>7} "
                  + " ".join(f"{f:>8.0f}" for f in figures)
                  + f" {phase.throughput():>7.0f} {services:>13.0f} {total:>10.0f}"
                  + f" {pss:>14.0f}", flush=True)  # fmt: skip
            print("  " + await asyncio.to_thread(_rss_by_component, system, stack), flush=True)
    print("stack MiB = sum of RSS of the five services + Kafka + PostgreSQL (its forks' shared memory counted")
    print("per fork) + Zipkin if run; stack PSS MiB = the same processes with shared pages counted once")


def main() -> None:
    options = _options()
    settings = StackSettings(state_dir=options.state_dir, kafka_port=options.kafka_port,
                             postgres_port=options.postgres_port, zipkin_port=options.zipkin_port,
                             trace_viewer=not options.no_trace_viewer)  # fmt: skip
    stack = Stack(settings)
    print(f"starting the benchmark stack in {stack.settings.state_path} …", flush=True)
    stack.up()
    names = {svc: f"bench_e2e_{svc}" for svc in SERVICES}
    home = options.state_dir / "services"
    shutil.rmtree(home, ignore_errors=True)
    system: ServiceSystem | None = None
    try:
        for name in names.values():
            asyncio.run(drop_database(stack.admin_database_url, name))
        asyncio.run(ensure_databases(stack.admin_database_url, list(names.values())))
        urls = {svc: with_database(stack.admin_database_url, name) for svc, name in names.items()}
        env = {} if options.no_trace_viewer else {"OTEL_EXPORTER_ZIPKIN_ENDPOINT": stack.zipkin.spans_endpoint}
        system = ServiceSystem(home, f"bench{int(time.time())}", stack.kafka_bootstrap, urls, env)
        system.start_all(timeout_s=180)
        asyncio.run(_main_async(options, system, stack))
    finally:
        if system is not None:
            system.stop_all()
        print(f"stopped: {', '.join(stack.down()) or 'nothing'}", flush=True)


if __name__ == "__main__":
    main()
