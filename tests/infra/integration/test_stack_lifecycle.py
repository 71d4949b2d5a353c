"""A private stack, started and stopped like a user would: up twice, down + up keeps data, down leaves
nothing of ours running (issue: foundation, item 4). Slow: it starts its own broker and database."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import psutil
import pytest
from huifang_devstack import Stack, StackSettings

from tests.support.kafka import consume, create_topics, produce
from tests.support.ports import free_port_pair

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def _our_processes(state: Path) -> list[psutil.Process]:
    found = []
    for proc in psutil.process_iter(["cmdline"]):
        if str(state) in " ".join(proc.info["cmdline"] or []):
            found.append(proc)
    return found


@pytest.fixture(scope="module")
def private_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    state = tmp_path_factory.mktemp("private-stack")
    settings = StackSettings(
        state_dir=state,
        kafka_port=free_port_pair(),
        postgres_port=free_port_pair(),
        kafka_bootstrap_servers=None,
        database_url=None,
        stack="local",
    )
    stack = Stack(settings)
    stack.up()
    yield stack
    stack.down()


def test_up_twice_is_harmless(private_stack: Stack) -> None:
    before = [c.pid for c in private_stack.status()]

    private_stack.up()

    after = private_stack.status()
    assert [c.pid for c in after] == before
    assert all(c.healthy for c in after)


def test_data_survives_down_and_up_and_down_leaves_nothing(private_stack: Stack) -> None:
    topic = "durable"
    asyncio.run(create_topics(private_stack.kafka_bootstrap, [topic], 2))
    asyncio.run(produce(private_stack.kafka_bootstrap, topic, [(b"e1", b"kept-1"), (b"e2", b"kept-2")]))
    asyncio.run(_write_row(private_stack.database_url("intake")))

    stopped = private_stack.down()

    assert stopped == ["kafka", "postgres"]
    assert _our_processes(private_stack.settings.state_path) == []
    assert [c.healthy for c in private_stack.status()] == [False, False]

    private_stack.up()

    values = asyncio.run(consume(private_stack.kafka_bootstrap, topic, 2))
    assert sorted(values) == [b"kept-1", b"kept-2"]
    assert asyncio.run(_read_rows(private_stack.database_url("intake"))) == ["kept"]


def test_a_stale_pid_file_is_never_trusted(private_stack: Stack) -> None:
    """A pid file naming a live process that is not ours (here: the test runner) must not be signalled."""
    kafka = private_stack.kafka
    kafka.down()
    kafka.process.pidfile.write_text(f"{psutil.Process().pid}\n")

    assert kafka.process.pid() is None
    assert not kafka.process.pidfile.exists()
    assert kafka.down() is False
    private_stack.up()
    assert all(c.healthy for c in private_stack.status())


async def _write_row(url: str) -> None:
    conn = await asyncpg.connect(url)
    try:
        await conn.execute("CREATE TABLE IF NOT EXISTS kept (v text)")
        await conn.execute("INSERT INTO kept VALUES ('kept')")
    finally:
        await conn.close()


async def _read_rows(url: str) -> list[str]:
    conn = await asyncpg.connect(url)
    try:
        return [r["v"] for r in await conn.fetch("SELECT v FROM kept")]
    finally:
        await conn.close()
