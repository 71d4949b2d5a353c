"""The composition root: the runtime with survey's handlers, the repositories around its outbox, the clock
and the token source; tests override the clock and the tokens. `state_parts` names what
`huifang rebuild state --service survey` empties and refills from survey's own event store."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from huifang_contracts.topics import Service
from huifang_infra.runtime import ServiceRuntime
from huifang_infra.state_rebuild import StateRebuild

from huifang_survey.adapters.ballot_rows import BALLOT_TABLES
from huifang_survey.adapters.campaigns import CAMPAIGN_TABLES
from huifang_survey.adapters.record_rows import RECORD_TABLES
from huifang_survey.config import SurveySettings
from huifang_survey.entrypoints import consumer
from huifang_survey.service_layer.ballot_streams import ballot_repository
from huifang_survey.service_layer.campaign_streams import campaign_repository
from huifang_survey.service_layer.records import record_repository
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
    runtime = ServiceRuntime(settings, Service.SURVEY, handlers=consumer.handlers())
    return Survey(settings, runtime, repositories(runtime.outbox), clock)


def state_parts(settings: SurveySettings) -> list[StateRebuild]:
    """The aggregates whose tables a state rebuild empties and refills, in projection order: a campaign's
    row before the ballots that refer to it. A rebuild publishes nothing, so no part has an outbox.

    The record streams own two columns of the `callbacks` read model (`status`, `attempts_used`), which
    their projection sets from each stream's state; the rows themselves come from Kafka (`huifang
    rebuild projections`), as do `estates` and `staff`.
    """
    return [
        StateRebuild(campaign_repository(outbox=None), CAMPAIGN_TABLES),
        StateRebuild(ballot_repository(), BALLOT_TABLES),
        StateRebuild(record_repository(outbox=None), RECORD_TABLES),
    ]
