"""The timer loop the runtime runs beside the consumer: due, overdue, then the monthly draws."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from huifang_infra.clock import Clock
from huifang_infra.db import Pool
from huifang_infra.runtime import Background, ServiceRuntime
from huifang_infra.transient import is_transient

from huifang_callback.config import CallbackSettings
from huifang_callback.service_layer.callbacks import CallbackRepository
from huifang_callback.service_layer.sample_clock import due_draws
from huifang_callback.service_layer.sampler import Sampler
from huifang_callback.service_layer.timers import fire_timers

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TimerWork:
    """What the loop needs, handed over by the composition root."""

    settings: CallbackSettings
    clock: Clock
    callbacks: CallbackRepository
    sampler: Callable[[Pool], Sampler]


def timer_loop(components: TimerWork) -> Background:
    """A `background` loop for `ServiceRuntime`; the first tick runs at once (catch-up after downtime)."""

    async def timers(runtime: ServiceRuntime, stop: asyncio.Event) -> None:
        settings = components.settings
        last_check = -math.inf
        while not stop.is_set():
            try:
                # Draw moments are minutes apart at the finest: checking every estate each tick is waste.
                check_samples = time.monotonic() - last_check >= settings.sampling_check_seconds
                await tick(runtime, components, check_samples=check_samples)
                if check_samples:
                    last_check = time.monotonic()
            except Exception as exc:
                if not is_transient(exc):
                    log.exception("timer tick failed; retrying next tick")
                else:
                    log.warning("timer tick: transient failure %r", exc)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=settings.timer_tick_seconds)

    return timers


async def tick(runtime: ServiceRuntime, components: TimerWork, *, check_samples: bool = True) -> None:
    result = await fire_timers(
        runtime.pool, components.callbacks, components.clock, components.settings.timer_batch_size
    )
    drawn = 0
    if components.settings.sampling_enabled and check_samples:
        async with runtime.pool.acquire() as conn:
            requests = await due_draws(conn, components.clock())
        if requests:
            drawn = await components.sampler(runtime.pool).draw_many(requests, components.settings.sampling_concurrency)
    if result.due or result.overdue or drawn:
        log.info("timers: %d due, %d overdue, %d samples drawn", result.due, result.overdue, drawn)
