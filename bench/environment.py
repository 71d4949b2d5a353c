"""The servers a benchmark run talks to, and the facts about the machine that its figures depend on.

The run starts its own Kafka and PostgreSQL on its own state folder and ports, so it never measures
(or disturbs) the demo's or the test suite's stack; `KAFKA_BOOTSTRAP_SERVERS` and
`HUIFANG_DATABASE_URL` point it at existing servers instead, and then it starts nothing.
"""

from __future__ import annotations

import os
import platform
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import asyncpg
import psycopg
from huifang_devstack import Stack, StackSettings
from huifang_devstack.databases import drop_database, ensure_databases
from huifang_devstack.kafka_jars import kafka_version
from huifang_infra.database_url import with_database


@dataclass(frozen=True)
class Servers:
    """Where Kafka and the PostgreSQL server (its admin database) are."""

    bootstrap: str
    admin_url: str
    kafka_local: bool

    def database_url(self, name: str) -> str:
        return with_database(self.admin_url, name)


@contextmanager
def bench_servers(state_dir: Path, kafka_port: int, postgres_port: int) -> Iterator[Servers]:
    """Start what is not given by the environment; stop exactly that afterwards, even on failure."""
    stack = Stack(StackSettings(state_dir=state_dir, kafka_port=kafka_port, postgres_port=postgres_port))
    starts_something = not (stack.kafka_external and stack.postgres_external)
    if starts_something:
        print(f"starting the benchmark stack in {stack.settings.state_path} …", flush=True)
        stack.up()
    try:
        yield Servers(stack.kafka_bootstrap, stack.admin_database_url, kafka_local=not stack.kafka_external)
    finally:
        if starts_something:
            stopped = stack.down()
            print(f"stopped: {', '.join(stopped) or 'nothing'}", flush=True)


async def fresh_database(servers: Servers, name: str) -> str:
    """An empty database: earlier runs' rows would change index sizes and so the figures."""
    await drop_database(servers.admin_url, name)
    await ensure_databases(servers.admin_url, [name])
    return servers.database_url(name)


async def machine_facts(servers: Servers) -> dict[str, str]:
    """What a reader needs to compare these figures with another run's."""
    conn = await asyncpg.connect(servers.admin_url)
    try:
        postgres = str(await conn.fetchval("SHOW server_version"))
        durability = [f"{name}={await conn.fetchval(f'SHOW {name}')}" for name in ("fsync", "synchronous_commit")]
    finally:
        await conn.close()
    kafka = f"{kafka_version()} (local, single broker)" if servers.kafka_local else "external"
    return {
        "cores": str(os.cpu_count()),
        "CPU": _cpu_model(),
        "Python": platform.python_version(),
        "Kafka": kafka,
        "PostgreSQL": f"{postgres} ({', '.join(durability)})",
        "libraries": ", ".join(f"{name} {version(name)}" for name in ("aiokafka", "asyncpg", "eventsourcing"))
        + f", psycopg {version('psycopg')} ({psycopg.pq.__impl__} implementation)",
        # Other work on the machine slows every figure; ratios within one run stay comparable.
        "load average (1, 5, 15 min) at the end": ", ".join(f"{x:.1f}" for x in os.getloadavg()),
    }


def _cpu_model() -> str:
    """The CPU's model name where Linux tells it; figures from another CPU are not comparable."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"
