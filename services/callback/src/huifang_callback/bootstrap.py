"""The composition root: settings, clock and seed source in; repositories, handlers, runtime and loop wired.

Tests pass a settable clock and a fixed seed source instead of the system's. Nothing is patched in
after construction: every piece gets what it needs here, once.
"""

from __future__ import annotations

from dataclasses import dataclass

from huifang_contracts.topics import Service
from huifang_infra.clock import Clock, utc_now
from huifang_infra.db import Pool
from huifang_infra.runtime import ServiceRuntime
from huifang_infra.state_rebuild import StateRebuild
from huifang_infra.wiring import outbox_for

from huifang_callback.config import CallbackSettings
from huifang_callback.entrypoints import consumer
from huifang_callback.entrypoints.scheduler import TimerWork, timer_loop
from huifang_callback.service_layer.calendars import CALENDAR_STATE_TABLES, CalendarRepository, calendar_repository
from huifang_callback.service_layer.callbacks import (
    CALLBACK_STATE_TABLES,
    SAMPLE_STATE_TABLES,
    CallbackRepository,
    SampleRepository,
    callback_repository,
    sample_repository,
)
from huifang_callback.service_layer.estates import EstateProjection
from huifang_callback.service_layer.outcomes import Outcomes
from huifang_callback.service_layer.policies import POLICY_STATE_TABLES, PolicyRepository, policy_repository
from huifang_callback.service_layer.sampler import Sampler, SeedSource, random_seed
from huifang_callback.service_layer.scheduling import Scheduling


def sampler_for(pool: Pool, settings: CallbackSettings, clock: Clock, seeds: SeedSource = random_seed) -> Sampler:
    """The monthly draws outside a running service (the CLI, the benchmark)."""
    outbox = outbox_for(settings)
    return Sampler(pool, sample_repository(outbox), callback_repository(outbox), clock, seeds)


@dataclass
class Components:
    settings: CallbackSettings
    clock: Clock = utc_now
    seeds: SeedSource = random_seed

    def __post_init__(self) -> None:
        self.outbox = outbox_for(self.settings)
        self.callbacks: CallbackRepository = callback_repository(self.outbox)
        self.samples: SampleRepository = sample_repository(self.outbox)
        self.policies: PolicyRepository = policy_repository(self.outbox)
        self.calendars: CalendarRepository = calendar_repository()

    def sampler(self, runtime: ServiceRuntime) -> Sampler:
        return self.sampler_on(runtime.pool)

    def sampler_on(self, pool: Pool) -> Sampler:
        return Sampler(pool, self.samples, self.callbacks, self.clock, self.seeds)


def state_parts(settings: CallbackSettings) -> list[StateRebuild]:
    """What `huifang rebuild state --service callback` empties and refills from the event store."""
    outbox = outbox_for(settings)
    return [
        StateRebuild(callback_repository(outbox), CALLBACK_STATE_TABLES),
        StateRebuild(sample_repository(outbox), SAMPLE_STATE_TABLES),
        StateRebuild(policy_repository(outbox), POLICY_STATE_TABLES),
        StateRebuild(calendar_repository(), CALENDAR_STATE_TABLES),
    ]


def build_runtime(components: Components, *, stall_timeout_s: float = 60.0) -> ServiceRuntime:
    c = components
    timers = TimerWork(c.settings, c.clock, c.callbacks, c.sampler_on)
    return ServiceRuntime(
        c.settings,
        Service.CALLBACK,
        handlers=consumer.handlers(Outcomes(c.callbacks, c.clock), EstateProjection(c.outbox)),
        batch_handlers=consumer.batch_handlers(Scheduling(c.callbacks, c.clock)),
        background=[timer_loop(timers)],
        stall_timeout_s=stall_timeout_s,
        outbox=c.outbox,
    )
