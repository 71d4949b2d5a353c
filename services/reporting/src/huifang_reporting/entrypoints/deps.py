"""Request-scoped access to what the composition root built: pool, outbox, clock, settings."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import Request

from huifang_reporting.config import ReportingSettings
from huifang_reporting.domain.months import month_of, months_between, parse_month
from huifang_reporting.service_layer.corrective_actions import ActionRepository
from huifang_reporting.service_layer.repositories import Repositories


def pool(request: Request) -> Any:
    return request.app.state.runtime.pool


def runtime(request: Request) -> Any:
    return request.app.state.runtime


def repos(request: Request) -> Repositories:
    """The repositories the composition root built."""
    result: Repositories = request.app.state.repos
    return result


def actions(request: Request) -> ActionRepository:
    """The corrective-action repository the composition root built."""
    return repos(request).actions


def now(request: Request) -> datetime:
    clock = request.app.state.clock
    result: datetime = clock()
    return result


def settings(request: Request) -> ReportingSettings:
    result: ReportingSettings = request.app.state.settings
    return result


def month_range(request: Request, first: str | None, last: str | None) -> tuple[str, str]:
    """Defaults: the twelve months up to the current one (Asia/Shanghai); both checked (422 on error)."""
    last = last or month_of(now(request))
    parse_month(last)
    if first is None:
        year, mon = parse_month(last)
        index = year * 12 + mon - 1 - 11
        first = f"{index // 12}-{index % 12 + 1:02d}"
    months_between(first, last)  # validates order and span
    return first, last
