"""Shared pieces of the callback benchmarks: the servers (the running stack), a fresh database, RSS."""

from __future__ import annotations

import resource
from pathlib import Path

import asyncpg
from huifang_devstack import Stack, StackSettings
from huifang_devstack.databases import drop_database, ensure_databases
from huifang_infra.database_url import with_database
from huifang_infra.db import connect
from huifang_infra.migrations import infra_migrations, migrate, service_migrations


def servers() -> tuple[str, str]:
    """(Kafka bootstrap, admin database URL) of the stack named by HUIFANG_* variables; nothing is started."""
    stack = Stack(StackSettings())
    return stack.kafka_bootstrap, stack.admin_database_url


async def fresh_callback_database(admin_url: str, name: str) -> str:
    await drop_database(admin_url, name)
    await ensure_databases(admin_url, [name])
    url = with_database(admin_url, name)
    conn = await connect(url)
    try:
        await migrate(conn, [infra_migrations(), service_migrations("callback")])
    finally:
        await conn.close()
    return url


async def drop(admin_url: str, name: str) -> None:
    await drop_database(admin_url, name)


def own_peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):  # the peak resident set of the process
            return int(line.split()[1]) / 1024
    return 0.0


async def count(url: str, query: str) -> int:
    conn = await asyncpg.connect(url)
    try:
        return int(await conn.fetchval(query))
    finally:
        await conn.close()
