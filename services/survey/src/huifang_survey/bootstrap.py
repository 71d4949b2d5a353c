"""The composition root: the runtime with survey's handlers, the repositories around its outbox, the clock
and the token source; tests override the clock and the tokens."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from huifang_contracts.topics import Service
from huifang_infra.runtime import ServiceRuntime

from huifang_survey.adapters.projections import HANDLERS
from huifang_survey.config import SurveySettings
from huifang_survey.service_layer.repositories import Repositories, repositories

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def random_token() -> str:
    """192 random bits, URL-safe: unguessable per-household links."""
    return secrets.token_urlsafe(24)


@dataclass
class Survey:
    """What routes need: the runtime (pool, outbox), the repositories, the clock and where tokens come from."""

    settings: SurveySettings
    runtime: ServiceRuntime
    repos: Repositories
    clock: Clock = utc_now
    new_token: Callable[[], str] = field(default=random_token)


def bootstrap(settings: SurveySettings | None = None, *, clock: Clock = utc_now) -> Survey:
    settings = settings or SurveySettings()
    runtime = ServiceRuntime(settings, Service.SURVEY, handlers=HANDLERS)
    return Survey(settings, runtime, repositories(runtime.outbox), clock)
