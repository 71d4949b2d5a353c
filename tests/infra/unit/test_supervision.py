"""Supervised background tasks (issue 19, point 8): a task that fails or ends is started again, with
growing pauses, and is reported down while it waits."""

from __future__ import annotations

import asyncio
import itertools

import pytest
from huifang_infra.supervision import TaskState, keep_running

pytestmark = pytest.mark.unit

QUICK = (0.01, 0.02, 0.04)


async def test_a_task_that_fails_is_started_again_until_it_runs() -> None:
    stop, state, runs = asyncio.Event(), TaskState("svc:relay"), []

    async def relay() -> None:
        runs.append(len(runs))
        if len(runs) < 3:
            raise ConnectionResetError("the database went away")
        await stop.wait()

    supervisor = asyncio.create_task(keep_running(state, relay, stop, backoff=QUICK))
    await asyncio.sleep(0.3)
    running_after_restarts = state.running
    stop.set()
    await asyncio.wait_for(supervisor, 1)
    assert (len(runs), state.restarts, running_after_restarts) == (3, 2, True)
    assert state.last_error == "ConnectionResetError('the database went away')"


async def test_a_task_that_returns_while_the_service_runs_is_started_again() -> None:
    stop, state, runs, restarted = asyncio.Event(), TaskState("svc:timers"), [], []

    async def timers() -> None:
        runs.append(1)
        if len(runs) >= 2:
            await stop.wait()

    supervisor = asyncio.create_task(keep_running(state, timers, stop, backoff=QUICK, on_restart=restarted.append))
    await asyncio.sleep(0.2)
    stop.set()
    await asyncio.wait_for(supervisor, 1)
    assert (len(runs), state.last_error, restarted) == (2, "ended", ["svc:timers"])


async def test_a_failed_task_is_reported_down_while_it_waits_to_start_again() -> None:
    stop, state = asyncio.Event(), TaskState("svc:consumer")

    async def consumer() -> None:
        raise RuntimeError("coordinator lost")

    supervisor = asyncio.create_task(keep_running(state, consumer, stop, backoff=(5.0,)))
    await asyncio.sleep(0.1)
    down_while_waiting = not state.running
    stop.set()
    await asyncio.wait_for(supervisor, 1)  # the pause ends with the service
    assert (down_while_waiting, state.restarts) == (True, 0)


async def test_the_pause_grows_with_failures_in_a_row_and_is_bounded() -> None:
    stop, state, starts = asyncio.Event(), TaskState("svc:relay"), []
    loop = asyncio.get_running_loop()

    async def failing() -> None:
        starts.append(loop.time())
        if len(starts) == 5:
            stop.set()
        raise OSError("refused")

    await asyncio.wait_for(keep_running(state, failing, stop, backoff=(0.02, 0.2)), 3)
    pauses = [later - earlier for earlier, later in itertools.pairwise(starts)]
    assert pauses[0] < 0.15
    assert all(0.19 < pause < 0.39 for pause in pauses[1:])  # the last pause repeats, never doubles
