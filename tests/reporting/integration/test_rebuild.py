"""Rebuild: replaying the log from the start gives identical figures (issue 9 §6)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from huifang_contracts.topics import Service
from huifang_infra.auth import Role
from huifang_infra.rebuild import rebuild
from huifang_reporting.bootstrap import PROJECTION_TABLES, create_app

from tests.reporting import scenario
from tests.reporting.support import FakeClock, feed, projected, reporting_settings
from tests.support.service import bearer, running_service

pytestmark = pytest.mark.integration

QUALITY = bearer(Role.quality_dept, "G1", ["*"])
RANGE = {"from": "2026-01", "to": "2026-03"}


@asynccontextmanager
async def _serving_and_keeping_topics(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """`running_service` without its clean-up: the topics must outlive this run, the replay reads them."""
    async with LifespanManager(app, startup_timeout=90, shutdown_timeout=30) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://service.test") as client:
            yield client


async def _figures(client: Any, database_url: str) -> tuple[Any, Any, list[Any]]:
    overview = (await client.get("/kpis/overview", params=RANGE, headers=QUALITY)).json()
    trend = (await client.get("/kpis/trend", params=RANGE, headers=QUALITY)).json()
    conn = await asyncpg.connect(database_url)
    try:
        rows = [tuple(r) for r in await conn.fetch("SELECT * FROM estate_month_kpis ORDER BY 1, 2, 3")]
    finally:
        await conn.close()
    return overview, trend, rows


async def test_replaying_the_log_gives_identical_figures(database_url: str, kafka_bootstrap: str, unique: str) -> None:
    settings = reporting_settings(database_url, kafka_bootstrap, unique)
    clock = FakeClock(scenario.at("2026-02-20T00:00:00"))
    events = [*scenario.events(), scenario.estate("E3", "Europe/London")]
    app = create_app(settings, clock)
    async with _serving_and_keeping_topics(app) as client:
        await feed(app.state.runtime, kafka_bootstrap, events)
        await projected(app.state.runtime, len(events))
        before = await _figures(client, database_url)
        group = app.state.runtime.catalogue.group(Service.REPORTING)
    assert before[2], "the roll-up must hold rows before the rebuild"

    await rebuild(
        database_url=database_url,
        bootstrap=kafka_bootstrap,
        group=group.name,
        topics=list(group.topics),
        projection_tables=PROJECTION_TABLES,
    )
    conn = await asyncpg.connect(database_url)
    try:
        assert await conn.fetchval("SELECT count(*) FROM estate_month_kpis") == 0
    finally:
        await conn.close()

    again = create_app(settings, clock)
    async with running_service(again) as client:
        await projected(again.state.runtime, len(events))
        after = await _figures(client, database_url)
    assert after == before
