"""Keeps a service's consumer alive: a crashed consumer is restarted, a stalled one replaced.

A consumer can stop making progress without raising (a lost coordinator, a wedged fetch): the group
still thinks it owns the partitions, so nobody else takes them. Lag above zero with no commit for
`stall_timeout_s` is that state; a fresh consumer rejoins the group and the inbox dedupes whatever the
old one had half-done.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from typing import Protocol

log = logging.getLogger(__name__)

RESTART_BACKOFF_S = (1.0, 2.0, 5.0, 10.0)


class Supervised(Protocol):
    group: str
    last_progress: float

    async def run(self, stop: asyncio.Event) -> None: ...

    async def lag(self) -> dict[tuple[str, int], int]: ...


async def stalled(consumer: Supervised, stall_timeout_s: float, now: float) -> bool:
    """No commit for the timeout while records wait: lag alone is normal, silence alone is idleness."""
    if now - consumer.last_progress < stall_timeout_s:
        return False
    try:
        return sum((await consumer.lag()).values()) > 0
    except Exception as exc:  # the broker may be away: that is not the consumer's stall
        log.warning("%s: lag unknown (%r); not judging the consumer", consumer.group, exc)
        return False


async def supervise_consumer(
    new_consumer: Callable[[], Supervised], stop: asyncio.Event, stall_timeout_s: float = 60.0
) -> None:
    """Run consumers from `new_consumer` until `stop`, replacing each that crashes or stalls."""
    restarts = 0
    while not stop.is_set():
        consumer = new_consumer()
        own_stop = asyncio.Event()
        task = asyncio.ensure_future(consumer.run(own_stop))
        reason = await _watch(consumer, task, stop, stall_timeout_s)
        own_stop.set()
        if not task.done():
            try:
                await asyncio.wait_for(asyncio.shield(task), timeout=10)
            except TimeoutError:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
        if reason is None:
            return
        delay = RESTART_BACKOFF_S[min(restarts, len(RESTART_BACKOFF_S) - 1)]
        restarts += 1
        log.error("%s: consumer %s; a new one starts in %.0f s", consumer.group, reason, delay)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), delay)


async def _watch(
    consumer: Supervised, task: asyncio.Future[None], stop: asyncio.Event, stall_timeout_s: float
) -> str | None:
    """Why the consumer must be replaced, or None when the service is stopping."""
    interval = max(stall_timeout_s / 4, 0.05)
    stopping: asyncio.Future[None] = asyncio.ensure_future(_wait(stop))
    try:
        while True:
            await asyncio.wait([task, stopping], timeout=interval, return_when=asyncio.FIRST_COMPLETED)
            if stop.is_set():
                return None
            if task.done():
                exc = task.exception() if not task.cancelled() else None
                return f"ended ({exc!r})" if exc else "ended"
            if await stalled(consumer, stall_timeout_s, time.monotonic()):
                return f"made no progress for {stall_timeout_s:.0f} s with records waiting"
    finally:
        stopping.cancel()


async def _wait(event: asyncio.Event) -> None:
    await event.wait()
