"""The dispatch app: routers, error mapping, and the runtime underneath (consumer, relay, retry loop)."""

from __future__ import annotations

from fastapi import FastAPI
from huifang_infra.runtime import create_service_app

from huifang_dispatch.bootstrap import build
from huifang_dispatch.config import DispatchSettings
from huifang_dispatch.console import CONSOLE_ROUTERS, routes_pages
from huifang_dispatch.entrypoints.errors import install_error_handlers
from huifang_dispatch.entrypoints.routes import duty_log, handovers, queue, rosters, staff
from huifang_dispatch.service_layer.context import Clock, system_clock


def create_app(settings: DispatchSettings | None = None, *, clock: Clock = system_clock) -> FastAPI:
    settings = settings or DispatchSettings()
    runtime, ctx = build(settings, clock=clock)

    def configure(app: FastAPI) -> None:
        app.state.dispatch = ctx
        install_error_handlers(app)
        routes_pages.mount_static(app)

    return create_service_app(
        runtime,
        title="派单与值班 Dispatch",
        description="分派回访任务、排班、值班记录与交接班 — assignment, rosters, duty log and handover.",
        routers=[staff.router, queue.router, rosters.router, duty_log.router, handovers.router, *CONSOLE_ROUTERS],
        configure=configure,
    )
