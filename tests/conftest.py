"""Session fixtures: one real Kafka + PostgreSQL per test run; isolated topics and databases per test.

Unless KAFKA_BOOTSTRAP_SERVERS / HUIFANG_DATABASE_URL name existing servers, the test stack runs on its
own ports and state folder, so it never touches a demo stack that may be running beside it. A test
stack we start is started from an empty state and stopped at the end; one already running is reused.
"""

from __future__ import annotations

import asyncio
import fcntl
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator

import pytest

os.environ.setdefault("HUIFANG_STATE_DIR", os.path.join(os.getcwd(), ".cache", "test-stack"))
os.environ.setdefault("HUIFANG_KAFKA_PORT", "29092")
os.environ.setdefault("HUIFANG_POSTGRES_PORT", "25432")

from huifang_devstack import Stack, StackSettings
from huifang_devstack.databases import drop_database, ensure_databases
from huifang_infra.database_url import with_database

from tests.support.kafka import create_topics, delete_topics

TEST_KAFKA_HEAP_MB = 512


@pytest.fixture(scope="session")
def stack() -> Iterator[Stack]:
    settings = StackSettings()
    if "HUIFANG_KAFKA_HEAP_MB" not in os.environ:
        # The suite creates and deletes hundreds of topics on one broker; a demo has a few dozen.
        settings = settings.model_copy(update={"kafka_heap_mb": TEST_KAFKA_HEAP_MB})
    stack = Stack(settings)
    settings.state_path.mkdir(parents=True, exist_ok=True)
    # Two test runs starting at once must not wipe or start the same servers twice.
    with open(settings.state_path / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        kafka_was_up = stack.kafka_external or stack.kafka.process.pid() is not None
        pg_was_up = stack.postgres_external or stack.postgres.process.pid() is not None
        if not kafka_was_up:
            shutil.rmtree(stack.kafka.home, ignore_errors=True)
        if not pg_was_up:
            shutil.rmtree(stack.postgres.home, ignore_errors=True)
        stack.up()
    yield stack
    if settings.stack == "testcontainers":
        stack.down()
        return
    if not kafka_was_up:
        stack.kafka.down()
    if not pg_was_up:
        stack.postgres.down()


@pytest.fixture(scope="session")
def kafka_bootstrap(stack: Stack) -> str:
    return stack.kafka_bootstrap


@pytest.fixture(scope="session")
def admin_database_url(stack: Stack) -> str:
    return stack.admin_database_url


@pytest.fixture
def unique() -> str:
    """A suffix that makes a test's topics, groups and databases its own."""
    return uuid.uuid4().hex[:10]


@pytest.fixture
def database_url(admin_database_url: str, unique: str) -> Iterator[str]:
    """A fresh, empty database for one test, dropped afterwards."""
    name = f"t_{unique}"
    asyncio.run(ensure_databases(admin_database_url, [name]))
    yield with_database(admin_database_url, name)
    asyncio.run(drop_database(admin_database_url, name))


@pytest.fixture
async def topics(kafka_bootstrap: str, unique: str) -> AsyncIterator[TopicFactory]:
    factory = TopicFactory(kafka_bootstrap, unique)
    yield factory
    if factory.created:
        await delete_topics(kafka_bootstrap, factory.created)


class TopicFactory:
    """Creates topics named `<base>.<suffix>` for one test and deletes them afterwards."""

    def __init__(self, bootstrap: str, suffix: str) -> None:
        self.bootstrap, self.suffix = bootstrap, suffix
        self.created: list[str] = []

    async def create(self, base: str, partitions: int = 3) -> str:
        name = f"{base}.{self.suffix}"
        await create_topics(self.bootstrap, [name], partitions)
        self.created.append(name)
        return name
