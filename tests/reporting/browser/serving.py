"""Reporting under uvicorn on a free port with the scenario fed in, and the machine's Chromium for Playwright.

The app runs its real lifespan (consumer, relay, loops); the browser is Debian's, never a downloaded one.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import uvicorn
from fastapi import FastAPI
from huifang_reporting.bootstrap import create_app

from tests.reporting import scenario
from tests.reporting.support import FakeClock, feed, projected, reporting_settings
from tests.support.ports import free_port

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"


@asynccontextmanager
async def reporting_with_scenario(
    database_url: str, kafka_bootstrap: str, unique: str
) -> AsyncIterator[tuple[str, FastAPI]]:
    """The base URL of a reporting service that has projected the whole scenario, and its app."""
    port = free_port()
    settings = reporting_settings(database_url, kafka_bootstrap, unique, http_port=port)
    app = create_app(settings, FakeClock(scenario.at("2026-02-20T00:00:00")))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    serving = asyncio.create_task(server.serve())
    try:
        while not server.started:  # noqa: ASYNC110 (uvicorn exposes a flag, not an event)
            await asyncio.sleep(0.1)
        events = scenario.events()
        await feed(app.state.runtime, kafka_bootstrap, events)
        await projected(app.state.runtime, len(events))
        yield f"http://127.0.0.1:{port}", app
    finally:
        server.should_exit = True
        await serving
