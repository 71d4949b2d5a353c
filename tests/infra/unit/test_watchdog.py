"""The consumer watchdog: crashed consumers restart, stalled ones are replaced, idle ones are left alone."""

from __future__ import annotations

import asyncio
import time

import pytest
from huifang_infra import watchdog
from huifang_infra.watchdog import stalled, supervise_consumer

pytestmark = pytest.mark.unit


class FakeConsumer:
    """Runs until told to stop; its lag and progress are set by the test."""

    def __init__(self, *, lag: int = 0, crash: bool = False, progressing: bool = True) -> None:
        self.group = "g"
        self.last_progress = time.monotonic()
        self._lag, self._crash, self._progressing = lag, crash, progressing
        self.stopped = False

    async def run(self, stop: asyncio.Event) -> None:
        if self._crash:
            raise RuntimeError("coordinator lost")
        while not stop.is_set():
            if self._progressing:
                self.last_progress = time.monotonic()
            await asyncio.sleep(0.01)
        self.stopped = True

    async def lag(self) -> dict[tuple[str, int], int]:
        return {("t", 0): self._lag}


async def test_lag_without_progress_is_a_stall_but_silence_alone_is_idleness() -> None:
    quiet = FakeConsumer(lag=0)
    quiet.last_progress -= 100
    assert not await stalled(quiet, 60, time.monotonic())
    stuck = FakeConsumer(lag=5)
    stuck.last_progress -= 100
    assert await stalled(stuck, 60, time.monotonic())
    busy = FakeConsumer(lag=5)
    assert not await stalled(busy, 60, time.monotonic())


async def _supervise(made: list[FakeConsumer], make: FakeConsumer, until: int, stall_s: float) -> None:
    stop = asyncio.Event()

    def new_consumer() -> FakeConsumer:
        consumer = make if not made else FakeConsumer()
        made.append(consumer)
        if len(made) >= until:
            stop.set()
        return consumer

    await asyncio.wait_for(supervise_consumer(new_consumer, stop, stall_s), timeout=10)


async def test_a_stalled_consumer_is_stopped_and_replaced(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(watchdog, "RESTART_BACKOFF_S", (0.0,))
    stuck = FakeConsumer(lag=3, progressing=False)
    made: list[FakeConsumer] = []
    await _supervise(made, stuck, until=2, stall_s=0.2)
    assert made[0] is stuck and stuck.stopped
    assert len(made) == 2


async def test_a_crashed_consumer_is_restarted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(watchdog, "RESTART_BACKOFF_S", (0.0,))
    made: list[FakeConsumer] = []
    await _supervise(made, FakeConsumer(crash=True), until=2, stall_s=5)
    assert len(made) == 2


async def test_a_healthy_consumer_runs_until_the_service_stops() -> None:
    stop = asyncio.Event()
    consumer = FakeConsumer(lag=10)
    made: list[FakeConsumer] = []

    def new_consumer() -> FakeConsumer:
        made.append(consumer)
        return consumer

    task = asyncio.create_task(supervise_consumer(new_consumer, stop, 0.2))
    await asyncio.sleep(0.6)  # three stall windows: it progresses, so it is kept
    stop.set()
    await asyncio.wait_for(task, timeout=5)
    assert made == [consumer] and consumer.stopped
