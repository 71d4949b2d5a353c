"""Services under uvicorn on free ports below 32768, in this event loop, sharing one topic suffix.

Each gets a fresh database of its own; the console's origin (dispatch) is allowed by survey and
callback (CORS), as the browser posts to them directly.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import uvicorn
from fastapi import FastAPI
from huifang_devstack.databases import drop_database, ensure_databases
from huifang_infra.database_url import with_database

from tests.support.ports import free_port

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"


@dataclass
class Servers:
    admin_database_url: str
    suffix: str
    ports: dict[str, int] = field(default_factory=dict)
    apps: dict[str, FastAPI] = field(default_factory=dict)
    databases: list[str] = field(default_factory=list)

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.ports[name]}"

    async def database(self, name: str) -> str:
        db = f"console_{self.suffix}_{name}"
        await ensure_databases(self.admin_database_url, [db])
        self.databases.append(db)
        return with_database(self.admin_database_url, db)


@asynccontextmanager
async def serving(
    admin_database_url: str, suffix: str, names: list[str], build: Callable[[Servers, str, str], FastAPI]
) -> AsyncIterator[Servers]:
    """Ports are chosen first (the settings name each other's addresses), then apps are built and served."""
    servers = Servers(admin_database_url, suffix)
    servers.ports = {name: free_port() for name in names}
    tasks: list[tuple[uvicorn.Server, asyncio.Task[None]]] = []
    try:
        for name in names:
            app = build(servers, name, await servers.database(name))
            servers.apps[name] = app
            server = uvicorn.Server(
                uvicorn.Config(app, host="127.0.0.1", port=servers.ports[name], log_level="warning", lifespan="on")
            )
            tasks.append((server, asyncio.create_task(server.serve())))
        for server, task in tasks:
            while not server.started:
                if task.done():
                    task.result()
                await asyncio.sleep(0.1)
        yield servers
    finally:
        for server, _ in tasks:
            server.should_exit = True
        for _, task in tasks:
            await task
        for db in servers.databases:
            await drop_database(admin_database_url, db)
