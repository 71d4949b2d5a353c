"""A consumer process killed with SIGKILL mid-batch, then restarted: every effect exactly once
(issue: event backbone, tests). Redelivery after the kill is expected; the inbox absorbs it."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time

import pytest

from tests.conftest import TopicFactory
from tests.support.backbone import effects_applied, effects_at_least, effects_per_event, orders_backlog, wait_for

pytestmark = pytest.mark.integration

N = 3000


def _start(
    database_url: str, bootstrap: str, topic: str, group: str, dlq: str, instance: str = ""
) -> subprocess.Popen[bytes]:
    argv = [sys.executable, "-m", "tests.support.consumer_harness", database_url, bootstrap, topic, group, dlq]
    argv += [instance] if instance else []
    return subprocess.Popen(argv, cwd=os.getcwd(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


async def test_sigkill_mid_batch_then_restart_applies_every_event_once(
    database_url: str, topics: TopicFactory, unique: str
) -> None:
    topic, dlq = await topics.create("orders", partitions=4), await topics.create("test.dlq", partitions=1)
    events = await orders_backlog(database_url, topics.bootstrap, topic, N, estates=16)
    group = f"g-{unique}"

    first = _start(database_url, topics.bootstrap, topic, group, dlq)
    try:
        await wait_for(lambda: effects_at_least(database_url, 300), timeout_s=60, interval_s=0.05)
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait()
    at_kill = await effects_applied(database_url)

    second = _start(database_url, topics.bootstrap, topic, group, dlq)
    try:
        await wait_for(lambda: effects_at_least(database_url, N), timeout_s=120)
        await asyncio.sleep(2)  # anything applied twice would show up by now
    finally:
        second.terminate()
        second.wait(timeout=30)

    effects = await effects_per_event(database_url)
    assert at_kill < N, "the kill must land before the work is done"
    assert effects == {e.event_id: 1 for e in events}


async def test_a_static_member_killed_and_started_again_resumes_within_five_seconds(
    database_url: str, topics: TopicFactory, unique: str
) -> None:
    """Issue 19 (8): under its instance id the new process takes the partitions back at once, instead
    of waiting out the dead member's session timeout (10 s) before the group rebalances."""
    topic, dlq = await topics.create("orders", partitions=4), await topics.create("test.dlq", partitions=1)
    events = await orders_backlog(database_url, topics.bootstrap, topic, N, estates=16)
    group, instance = f"g-{unique}", f"harness-{unique}"

    first = _start(database_url, topics.bootstrap, topic, group, dlq, instance)
    try:
        await wait_for(lambda: effects_at_least(database_url, 300), timeout_s=60, interval_s=0.05)
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait()
    killed_at, at_kill = time.monotonic(), await effects_applied(database_url)

    second = _start(database_url, topics.bootstrap, topic, group, dlq, instance)
    try:
        await wait_for(lambda: effects_at_least(database_url, at_kill + 1), timeout_s=60, interval_s=0.05)
        resumed_after_s = time.monotonic() - killed_at
        await wait_for(lambda: effects_at_least(database_url, N), timeout_s=120)
        await asyncio.sleep(2)
    finally:
        second.terminate()
        second.wait(timeout=30)

    assert at_kill < N, "the kill must land before the work is done"
    assert resumed_after_s < 5.0
    assert await effects_per_event(database_url) == {e.event_id: 1 for e in events}
