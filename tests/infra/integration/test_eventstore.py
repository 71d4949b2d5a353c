"""The event store: append-only streams, optimistic concurrency, global order (issue 4, item 7)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import asyncpg
import pytest
from huifang_infra.db import Pool, connect, create_pool, transaction
from huifang_infra.eventstore import EventStore, NewEvent, StoredEvent, WrongExpectedVersion
from huifang_infra.migrations import infra_migrations, migrate

pytestmark = pytest.mark.integration

store = EventStore()


def event(event_type: str = "CallbackScheduled", **data: object) -> NewEvent:
    return NewEvent(event_type=event_type, data=dict(data), group_id="g-1", estate_id="e-7")


@pytest.fixture
async def pool(database_url: str) -> AsyncIterator[Pool]:
    pool = await create_pool(database_url, min_size=1, max_size=12)
    await migrate(pool, [infra_migrations()])
    yield pool
    await pool.close()


async def test_a_new_stream_starts_at_version_1_and_loads_what_was_appended(pool: Pool) -> None:
    first = NewEvent(
        event_type="CallbackScheduled",
        data={"callback_id": "cb-1", "label": "投诉回访", "window": {"days": 3}},
        group_id="g-1",
        estate_id="e-7",
        event_version=2,
        metadata={"correlation_id": "c-1", "traceparent": "00-abc-def-01"},
    )
    async with transaction(pool) as conn:
        version = await store.append(conn, "callback-cb-1", 0, [first, event("CallbackDue")])

    async with pool.acquire() as conn:
        loaded = await store.load(conn, "callback-cb-1")

    assert version == 2
    assert [(e.stream_version, e.event_type) for e in loaded] == [(1, "CallbackScheduled"), (2, "CallbackDue")]
    stored = loaded[0]
    assert (stored.event_id, stored.event_version) == (first.event_id, 2)
    assert (stored.group_id, stored.estate_id) == ("g-1", "e-7")
    assert stored.data == {"callback_id": "cb-1", "label": "投诉回访", "window": {"days": 3}}
    assert stored.metadata == {"correlation_id": "c-1", "traceparent": "00-abc-def-01"}
    assert stored.recorded_at.tzinfo is not None
    assert abs(stored.recorded_at - datetime.now(UTC)) < timedelta(minutes=1)


async def test_appends_continue_from_the_expected_version(pool: Pool) -> None:
    async with transaction(pool) as conn:
        assert await store.append(conn, "s", 0, [event(n=1)]) == 1
        assert await store.append(conn, "s", 1, [event(n=2), event(n=3)]) == 3
        assert await store.version(conn, "s") == 3
        assert [e.data["n"] for e in await store.load(conn, "s")] == [1, 2, 3]


async def test_a_stale_expected_version_is_refused_with_the_actual_version(pool: Pool) -> None:
    async with transaction(pool) as conn:
        await store.append(conn, "s", 0, [event(), event()])

    async with pool.acquire() as conn:
        with pytest.raises(WrongExpectedVersion) as refused:
            await store.append(conn, "s", 1, [event(), event()])
        assert (refused.value.stream_id, refused.value.expected, refused.value.actual) == ("s", 1, 2)
        assert await store.version(conn, "s") == 2  # nothing of the refused batch was written

        with pytest.raises(WrongExpectedVersion):
            await store.append(conn, "s", 5, [event()])
        with pytest.raises(WrongExpectedVersion):
            await store.append(conn, "s", 1, [])
        assert await store.append(conn, "s", 2, []) == 2


async def test_a_racing_append_loses_on_the_unique_key(database_url: str, pool: Pool) -> None:
    """Both writers pass the version guard; the second waits on the key, then fails when the first commits."""
    first, second = await connect(database_url), await connect(database_url)
    try:
        tx_first, tx_second = first.transaction(), second.transaction()
        await tx_first.start()
        await tx_second.start()
        await store.append(first, "race", 0, [event(writer="first")])
        losing = asyncio.create_task(store.append(second, "race", 0, [event(writer="second")]))
        await _until_waiting_on_a_lock(pool, second.get_server_pid())
        await tx_first.commit()

        with pytest.raises(WrongExpectedVersion) as refused:
            await losing
        await tx_second.rollback()
    finally:
        await first.close()
        await second.close()

    assert refused.value.actual is None
    assert isinstance(refused.value.__cause__, asyncpg.UniqueViolationError)
    async with pool.acquire() as conn:
        assert [e.data["writer"] for e in await store.load(conn, "race")] == ["first"]


async def test_of_many_concurrent_appends_with_the_same_expected_version_exactly_one_wins(pool: Pool) -> None:
    async def attempt(writer: int) -> int | None:
        try:
            async with transaction(pool) as conn:
                await store.append(conn, "contended", 0, [event(writer=writer), event(writer=writer)])
            return writer
        except WrongExpectedVersion:
            return None

    outcomes = await asyncio.gather(*(attempt(i) for i in range(10)))

    winners = [w for w in outcomes if w is not None]
    assert len(winners) == 1
    async with pool.acquire() as conn:
        assert [e.data["writer"] for e in await store.load(conn, "contended")] == winners * 2


async def test_a_reused_event_id_is_an_error_not_a_version_conflict(pool: Pool) -> None:
    again = event()
    async with transaction(pool) as conn:
        await store.append(conn, "a", 0, [again])
    async with pool.acquire() as conn:
        with pytest.raises(asyncpg.UniqueViolationError):
            await store.append(conn, "b", 0, [again])


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE events SET data = '{}'::jsonb",
        "UPDATE events SET event_type = 'Rewritten' WHERE stream_version = 1",
        "DELETE FROM events",
        "DELETE FROM events WHERE false",
        "TRUNCATE events",
    ],
)
async def test_stored_events_cannot_be_changed_or_removed_in_sql(pool: Pool, statement: str) -> None:
    async with transaction(pool) as conn:
        await store.append(conn, "facts", 0, [event(n=1)])

    async with pool.acquire() as conn:
        with pytest.raises(asyncpg.RestrictViolationError, match="events are append-only"):
            await conn.execute(statement)
        assert [(e.event_type, e.data) for e in await store.load(conn, "facts")] == [("CallbackScheduled", {"n": 1})]


async def test_read_all_pages_through_every_stream_in_global_order(pool: Pool) -> None:
    async with transaction(pool) as conn:
        await store.append(conn, "a", 0, [event(n=1)])
        await store.append(conn, "b", 0, [event(n=2), event(n=3)])
        await store.append(conn, "a", 1, [event(n=4)])

    async with pool.acquire() as conn:
        page_one = await store.read_all(conn, limit=3)
        page_two = await store.read_all(conn, after_position=page_one[-1].global_position, limit=3)

    assert [e.data["n"] for e in page_one + page_two] == [1, 2, 3, 4]
    assert [e.stream_id for e in page_one + page_two] == ["a", "b", "b", "a"]
    positions = [e.global_position for e in page_one + page_two]
    assert positions == sorted(positions)


async def test_load_and_fold_rebuilds_the_aggregate_and_its_version(pool: Pool) -> None:
    def apply(attempts: list[str], e: StoredEvent) -> list[str]:
        return [*attempts, e.data["outcome"]] if e.event_type == "CallbackAttempted" else attempts

    async with transaction(pool) as conn:
        await store.append(conn, "cb-9", 0, [event()])
        await store.append(
            conn, "cb-9", 1, [event("CallbackAttempted", outcome="no_answer"), event("CallbackAttempted", outcome="ok")]
        )
        none_yet: list[str] = []
        state, version = await store.load_and_fold(conn, "cb-9", none_yet, apply)
        empty, zero = await store.load_and_fold(conn, f"absent-{uuid4()}", none_yet, apply)

    assert (state, version) == (["no_answer", "ok"], 3)
    assert (empty, zero) == ([], 0)


async def test_an_append_rolls_back_with_the_callers_transaction(pool: Pool) -> None:
    with pytest.raises(RuntimeError):
        async with transaction(pool) as conn:
            await store.append(conn, "rolled", 0, [event()])
            raise RuntimeError("the unit of work failed after the append")

    async with pool.acquire() as conn:
        assert await store.load(conn, "rolled") == []


async def _until_waiting_on_a_lock(pool: Pool, pid: int) -> None:
    # Observed from outside both transactions: pg_stat_activity is frozen for a transaction's duration.
    for _ in range(200):
        waiting = await pool.fetchval("SELECT wait_event_type FROM pg_stat_activity WHERE pid = $1", pid)
        if waiting == "Lock":
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"backend {pid} never waited on a lock")
