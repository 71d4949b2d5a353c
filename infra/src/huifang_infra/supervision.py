"""Keeps a service's background tasks running: one that ends or fails is started again, with backoff.

A relay, consumer or timer that ends while the service runs is silent loss: the HTTP side still answers,
events wait in the outbox or on the topic, and only a restart of the process would deliver them. Each
task is therefore a factory the supervisor calls again after a bounded, growing pause, and its state is
kept where `/readyz` reads it, so a task that is down (between a failure and its restart) is reported.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

log = logging.getLogger(__name__)

#: Pauses before the 1st, 2nd, … restart in a row; the last repeats.
RESTART_BACKOFF_S: tuple[float, ...] = (0.5, 1.0, 2.0, 5.0, 10.0)

#: A task that ran this long before ending counts as healthy again: its next restart waits the least.
HEALTHY_AFTER_S = 60.0


@dataclass
class TaskState:
    """What `/readyz` and `/metrics` know of one supervised task."""

    name: str
    running: bool = False
    restarts: int = 0
    last_error: str | None = None


async def keep_running(
    state: TaskState,
    work: Callable[[], Awaitable[object]],
    stop: asyncio.Event,
    *,
    backoff: Sequence[float] = RESTART_BACKOFF_S,
    healthy_after_s: float = HEALTHY_AFTER_S,
    on_restart: Callable[[str], None] | None = None,
) -> None:
    """Run `work()` until `stop` is set, starting it again whenever it returns or raises before then."""
    failures_in_a_row = 0
    while not stop.is_set():
        started = time.monotonic()
        state.running = True
        try:
            await work()
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # the reason is logged and kept; the task starts again
            state.last_error = repr(exc)
            log.error("%s failed while the service runs: %r", state.name, exc, exc_info=exc)
        else:
            if stop.is_set():
                return
            state.last_error = "ended"
            log.error("%s ended while the service runs", state.name)
        finally:
            state.running = False
        if time.monotonic() - started >= healthy_after_s:
            failures_in_a_row = 0
        delay = backoff[min(failures_in_a_row, len(backoff) - 1)]
        failures_in_a_row += 1
        log.warning("%s starts again in %.1f s", state.name, delay)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), delay)
        if stop.is_set():
            return
        state.restarts += 1
        if on_restart is not None:
            on_restart(state.name)
