"""Running one service in-process against the real Kafka and PostgreSQL of the test stack.

The app's own lifespan starts its runtime (migrations, topics, relay, consumer, loops), so a test
exercises exactly what `python -m huifang_<service>` runs; only the HTTP hop is in-process.

    settings = service_settings(CallbackSettings, database_url, kafka_bootstrap, unique)
    async with running_service(create_app(settings)) as client:
        r = await client.get("/callbacks", headers=bearer(Role.OFFICE_MANAGER, "G1", ["E1"]))
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any, TypeVar

import httpx
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from huifang_infra.auth import DEVELOPMENT_JWT_SECRET, Role, mint_token
from huifang_infra.settings import ServiceSettings

from tests.support.kafka import delete_topics

S = TypeVar("S", bound=ServiceSettings)

#: Few partitions keep topic creation and group joins fast in tests; per-estate order is unaffected.
TEST_PARTITIONS = 3


def service_settings(cls: type[S], database_url: str, kafka_bootstrap: str, suffix: str, **overrides: Any) -> S:
    """Settings for a service under test: its own database, topics suffixed `.<suffix>`."""
    values: dict[str, Any] = {
        "database_url": database_url,
        "kafka_bootstrap_servers": kafka_bootstrap,
        "topic_suffix": suffix,
        "topic_partitions": TEST_PARTITIONS,
        "environment": "test",
        "outbox_poll_interval_seconds": 0.5,
    }
    return cls(**(values | overrides))


@asynccontextmanager
async def running_service(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """The app started through its lifespan, and an HTTP client bound to it.

    The runtime's suffixed topics are deleted afterwards: a suite creates hundreds of them, and a
    broker that keeps every partition runs out of memory long before the suite ends.
    """
    try:
        async with LifespanManager(app, startup_timeout=90, shutdown_timeout=30) as manager:
            transport = httpx.ASGITransport(app=manager.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://service.test") as client:
                yield client
    finally:
        await _delete_isolated_topics(app)


async def _delete_isolated_topics(app: FastAPI) -> None:
    runtime = getattr(app.state, "runtime", None)
    if runtime is None or not runtime.settings.topic_suffix:
        return  # production names: never deleted by a test
    names = [spec.name for spec in runtime.catalogue.all_topics()]
    with contextlib.suppress(Exception):  # cleanup only; another test of the same suffix may have done it
        await delete_topics(runtime.settings.kafka_bootstrap_servers, names)


def bearer(
    role: Role | str,
    group_id: str,
    estates: Sequence[str],
    *,
    sub: str = "tester",
    secret: str = DEVELOPMENT_JWT_SECRET,
    ttl: timedelta = timedelta(hours=1),
) -> dict[str, str]:
    """An Authorization header for a principal of this role and scope (`["*"]`: every estate)."""
    token = mint_token(secret, sub, role, group_id, list(estates), ttl)
    return {"Authorization": f"Bearer {token}"}
