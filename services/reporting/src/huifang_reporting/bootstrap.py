"""The composition root: settings and clock in, the reporting app out; tests pass their own clock.

settings → outbox (the runtime's topic mapping) → the repositories (corrective actions, targets, month
closes) → the month closer and the routes → runtime → app. The KPI tables are read models fed by
`batch_handlers`; `state_parts` names what `huifang rebuild state --service reporting` empties and
refills from reporting's own streams.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from fastapi import FastAPI
from huifang_contracts.topics import CATALOGUE, Service
from huifang_infra.outbox import Outbox
from huifang_infra.runtime import ServiceRuntime, create_service_app
from huifang_infra.state_rebuild import StateRebuild

from huifang_reporting.adapters.action_rows import ACTION_TABLES
from huifang_reporting.adapters.closed_month_rows import CLOSED_MONTH_TABLES
from huifang_reporting.adapters.target_rows import TARGET_TABLES
from huifang_reporting.config import ReportingSettings
from huifang_reporting.entrypoints.api import configure, routers
from huifang_reporting.entrypoints.consumer import batch_handlers
from huifang_reporting.service_layer.closing import closing_loop
from huifang_reporting.service_layer.repositories import Repositories, repositories

Clock = Callable[[], datetime]

#: What a Kafka rebuild empties: read models of consumed events. The corrective-action, target and
#: closed-month tables are rebuilt from reporting's own streams instead (`state_parts`); the managers'
#: comments are owned state.
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


def outbox_for(settings: ReportingSettings) -> Outbox:
    """The same topic mapping the runtime uses (suffixed in tests)."""
    suffix = settings.topic_suffix
    catalogue = CATALOGUE.with_suffix(suffix, partitions=settings.topic_partitions) if suffix else CATALOGUE
    return Outbox(catalogue.topic_for)


def state_parts(settings: ReportingSettings) -> list[StateRebuild]:
    """The corrective actions, targets and month closes: their tables emptied, their streams folded back."""
    repos = repositories(outbox_for(settings))
    return [
        StateRebuild(repos.actions, ACTION_TABLES),
        StateRebuild(repos.targets, TARGET_TABLES),
        StateRebuild(repos.months, CLOSED_MONTH_TABLES),
    ]


def build_runtime(
    settings: ReportingSettings, clock: Clock = system_clock, *, repos: Repositories | None = None
) -> ServiceRuntime:
    if repos is None:
        repos = repositories(outbox_for(settings))
    closer = closing_loop(
        repos,
        clock,
        interval_s=settings.close_interval_seconds,
        grace_days=settings.month_close_grace_days,
        deadline_days=settings.corrective_action_days,
    )
    return ServiceRuntime(settings, Service.REPORTING, batch_handlers=batch_handlers(), background=[closer])


def create_app(settings: ReportingSettings | None = None, clock: Clock = system_clock) -> FastAPI:
    settings = settings or ReportingSettings()
    repos = repositories(outbox_for(settings))
    runtime = build_runtime(settings, clock, repos=repos)
    app = create_service_app(
        runtime,
        title="回访报表 Reporting",
        description="KPIs, summaries, corrective actions and the dashboard (issue 9).",
        routers=routers(),
        configure=lambda app: configure(app, settings),
    )
    app.state.clock = clock
    app.state.repos = repos
    app.state.settings = settings
    return app
