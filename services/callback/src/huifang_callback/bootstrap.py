"""The composition root: settings, clock and seed source in; the runtime, handlers and loop wired.

Tests pass a settable clock and a fixed seed source instead of the system's.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from huifang_contracts.topics import CATALOGUE, Service
from huifang_infra.outbox import Outbox
from huifang_infra.runtime import ServiceRuntime

from huifang_callback.adapters.clock import Clock, SystemClock
from huifang_callback.config import CallbackSettings
from huifang_callback.entrypoints import consumer
from huifang_callback.entrypoints.scheduler import timer_loop
from huifang_callback.service_layer.estates import EstateProjection
from huifang_callback.service_layer.outcomes import Outcomes
from huifang_callback.service_layer.sampler import Sampler, SeedSource, random_seed
from huifang_callback.service_layer.scheduling import Scheduling


@dataclass
class Components:
    settings: CallbackSettings
    clock: Clock = field(default_factory=SystemClock)
    seeds: SeedSource = random_seed

    def sampler(self, runtime: ServiceRuntime) -> Sampler:
        return Sampler(runtime.pool, runtime.outbox, self.clock, self.seeds)


def outbox_for(settings: CallbackSettings) -> Outbox:
    """The same topic mapping the runtime uses (suffixed in tests)."""
    suffix = settings.topic_suffix
    catalogue = CATALOGUE.with_suffix(suffix, partitions=settings.topic_partitions) if suffix else CATALOGUE
    return Outbox(catalogue.topic_for)


def build_runtime(components: Components, *, stall_timeout_s: float = 60.0) -> ServiceRuntime:
    outbox = outbox_for(components.settings)
    return ServiceRuntime(
        components.settings,
        Service.CALLBACK,
        handlers=consumer.handlers(Outcomes(outbox, components.clock), EstateProjection(outbox)),
        batch_handlers=consumer.batch_handlers(Scheduling(outbox, components.clock)),
        background=[timer_loop(components)],
        stall_timeout_s=stall_timeout_s,
    )
