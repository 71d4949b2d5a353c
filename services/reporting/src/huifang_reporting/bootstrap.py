"""The composition root: settings and clock in, the reporting app out; tests pass their own clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from fastapi import FastAPI
from huifang_contracts.topics import Service
from huifang_infra.runtime import ServiceRuntime, create_service_app

from huifang_reporting.config import ReportingSettings
from huifang_reporting.entrypoints.api import configure, routers
from huifang_reporting.service_layer.closing import closing_loop
from huifang_reporting.service_layer.projection import batch_handlers

Clock = Callable[[], datetime]

#: What a rebuild empties (R-RP rebuild): derived from the log; targets, actions and comments are not.
PROJECTION_TABLES = (
    "estates",
    "staff",
    "callbacks",
    "sources",
    "complaints",
    "campaigns",
    "questionnaires",
    "samples",
    "policies",
    "estate_month_kpis",
    "estate_quarter_kpis",
    "estate_year_kpis",
)


def system_clock() -> datetime:
    return datetime.now(UTC)


def build_runtime(settings: ReportingSettings, clock: Clock = system_clock) -> ServiceRuntime:
    closer = closing_loop(
        clock,
        interval_s=settings.close_interval_seconds,
        grace_days=settings.month_close_grace_days,
        deadline_days=settings.corrective_action_days,
    )
    return ServiceRuntime(settings, Service.REPORTING, batch_handlers=batch_handlers(), background=[closer])


def create_app(settings: ReportingSettings | None = None, clock: Clock = system_clock) -> FastAPI:
    settings = settings or ReportingSettings()
    runtime = build_runtime(settings, clock)
    app = create_service_app(
        runtime,
        title="回访报表 Reporting",
        description="KPIs, summaries, corrective actions and the dashboard (issue 9).",
        routers=routers(),
        configure=lambda app: configure(app, settings),
    )
    app.state.clock = clock
    app.state.settings = settings
    return app
