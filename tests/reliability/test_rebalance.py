"""A second consumer joins the group mid-stream: partitions move while polls are in hand
(issue: event backbone, item 9 — rebalance-safe, commit on revoke, no work on revoked partitions).

The consumer applies one poll while it fetches and decodes the next, so at a revocation it may hold
two; it must apply both, commit their offsets and only then let the partitions go. The new owner
then starts exactly where the old one stopped: no effect twice, none lost, nothing even redelivered.
"""

from __future__ import annotations

import asyncio

import pytest

from tests.conftest import TopicFactory
from tests.support.backbone import effects_per_event, orders_backlog, wait_for
from tests.support.consumer_harness import running_consumer

pytestmark = pytest.mark.integration

N = 3000
SLOW_S = 0.002  # ~6 s of work alone: enough for a second member to join halfway


async def test_partitions_moving_mid_stream_keep_every_effect_once(
    database_url: str, topics: TopicFactory, unique: str
) -> None:
    topic, dlq = await topics.create("orders", partitions=6), await topics.create("test.dlq", partitions=1)
    events = await orders_backlog(database_url, topics.bootstrap, topic, N, estates=24)
    group = f"g-{unique}"
    settings = {"database_url": database_url, "bootstrap": topics.bootstrap, "topic": topic, "dlq": dlq}

    async with running_consumer(group=group, batch_size=50, seconds_per_event=SLOW_S, **settings) as first:
        await wait_for(lambda: _true(first.processed >= 300), timeout_s=60, interval_s=0.01)
        async with running_consumer(group=group, batch_size=50, seconds_per_event=SLOW_S, **settings) as second:
            await wait_for(lambda: _true(first.processed + second.processed >= N), timeout_s=120)
            await asyncio.sleep(1)  # a duplicate delivered late would be counted by now
            both_worked = first.processed < N and second.processed > 0

    assert both_worked, "the second consumer must have taken partitions over before the work was done"
    assert await effects_per_event(database_url) == {e.event_id: 1 for e in events}
    assert first.processed + second.processed == N
    # Commit on revoke: the new owner got nothing the old one had applied (not even to skip).
    assert (first.duplicates, second.duplicates) == (0, 0)
    assert first.dead_lettered + second.dead_lettered == 0


async def _true(condition: bool) -> bool:
    return condition
