"""The shared write side: load → decide → append → project → outbox in one transaction (issue 17 §1)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import pytest
from huifang_contracts.envelope import Envelope
from huifang_infra.db import Connection, Pool, create_pool, transaction
from huifang_infra.event_codec import EventCodec
from huifang_infra.eventstore import EventStore, NewEvent, StreamAppend, WrongExpectedVersion
from huifang_infra.migrations import infra_migrations, migrate
from huifang_infra.outbox import Outbox
from huifang_infra.repository import Cause, Command, ConcurrencyConflict, Decided, Repository, Snapshotting

from tests.infra.tally import Add, Added, Close, Closed, Tally, TallyClosed, tally

pytestmark = pytest.mark.integration

NOW = datetime(2026, 12, 2, 1, 0, tzinfo=UTC)
CAUSE = Cause(group_id="g-1", estate_id="e-1")


@pytest.fixture
async def pool(database_url: str) -> AsyncIterator[Pool]:
    pool = await create_pool(database_url, min_size=1, max_size=8)
    await migrate(pool, [infra_migrations()])
    async with pool.acquire() as conn:
        await conn.execute(
            "CREATE TABLE tallies (stream_id text PRIMARY KEY, total int NOT NULL, closed bool NOT NULL)"
        )
    yield pool
    await pool.close()


async def project(conn: Connection, decided: Sequence[Decided[Any, Tally, Any]]) -> None:
    await conn.executemany(
        """INSERT INTO tallies VALUES ($1, $2, $3)
           ON CONFLICT (stream_id) DO UPDATE SET total = EXCLUDED.total, closed = EXCLUDED.closed""",
        [(d.stream_id, d.state.total, d.state.closed) for d in decided],
    )


def publish(decided: Decided[Any, Tally, Any]) -> list[Envelope]:
    return [
        Envelope(
            event_id=uuid4(),
            type="tally.Closed",
            version=1,
            occurred_at=NOW,
            recorded_at=NOW,
            group_id="g-1",
            estate_id="e-1",
            aggregate_id=decided.stream_id,
            correlation_id=uuid4(),
            causation_id=uuid4(),
            producer="tally",
            payload={"total": decided.state.total},
        )
        for e in decided.events
        if isinstance(e, Closed)
    ]


def repository(**kwargs: Any) -> Repository[Add | Close, Tally, Added | Closed]:
    return Repository(
        tally,
        EventCodec([Added, Closed]),
        outbox=Outbox(lambda _type: "tally.events"),
        project=project,
        publish=publish,
        **kwargs,
    )


async def table(pool: Pool) -> list[tuple[str, int, bool]]:
    rows = await pool.fetch("SELECT stream_id, total, closed FROM tallies ORDER BY stream_id")
    return [(r["stream_id"], r["total"], r["closed"]) for r in rows]


async def test_a_command_appends_its_events_projects_the_state_and_outboxes_in_one_go(pool: Pool) -> None:
    repo = repository()
    await repo.run(pool, "tally-a", Add(2), CAUSE)
    decided = await repo.run(pool, "tally-a", Close("月末"), CAUSE)

    assert (decided.version, decided.state) == (2, Tally(total=2, closed=True))
    assert await table(pool) == [("tally-a", 2, True)]
    async with pool.acquire() as conn:
        stored = await EventStore().load(conn, "tally-a")
        outbox = await conn.fetch("SELECT event_type FROM outbox")
    assert [(e.event_type, e.data) for e in stored] == [
        ("tally.Added", {"amount": 2}),
        ("tally.Closed", {"reason": "月末"}),
    ]
    assert [r["event_type"] for r in outbox] == ["tally.Closed"]


async def test_a_refused_command_leaves_no_event_row_or_message(pool: Pool) -> None:
    repo = repository()
    await repo.run(pool, "tally-a", Close("done"), CAUSE)
    with pytest.raises(TallyClosed):
        await repo.run(pool, "tally-a", Add(1), CAUSE)
    async with pool.acquire() as conn:
        assert await EventStore().version(conn, "tally-a") == 1
        assert await conn.fetchval("SELECT count(*) FROM outbox") == 1


async def test_a_batch_loads_and_appends_many_streams_and_a_stream_named_twice_sees_its_first_decision(
    pool: Pool,
) -> None:
    repo = repository()
    commands = [
        Command("tally-a", Add(1), CAUSE),
        Command("tally-b", Add(10), CAUSE),
        Command("tally-a", Add(2), CAUSE),
        Command("tally-a", Close("full"), CAUSE),
        Command("tally-b", Close("full"), CAUSE),
        Command("tally-b", Close("again"), CAUSE),  # nothing: already closed within this batch
    ]
    async with transaction(pool) as conn:
        decided = await repo.execute_many(conn, commands)
    assert [len(d.events) for d in decided] == [1, 1, 1, 1, 1, 0]
    assert await table(pool) == [("tally-a", 3, True), ("tally-b", 10, True)]
    async with pool.acquire() as conn:
        assert (await repo.load(conn, "tally-a")) == (Tally(total=3, closed=True), 3)


async def test_two_writers_on_one_stream_one_wins_and_the_other_reruns_on_the_fresh_state(pool: Pool) -> None:
    repo = repository()
    await repo.run(pool, "tally-a", Add(1), CAUSE)
    # The first writer reads version 1 and holds its transaction while the second appends and commits.
    async with pool.acquire() as slow:
        tx = slow.transaction()
        await tx.start()
        await repo.run(pool, "tally-a", Add(5), CAUSE)
        with pytest.raises(WrongExpectedVersion):
            await _stale(slow)
        await tx.rollback()
    # Concurrent runs: every one lands, on the state the others left.
    await asyncio.gather(*(repo.run(pool, "tally-a", Add(1), CAUSE) for _ in range(4)))
    async with pool.acquire() as conn:
        state, version = await repo.load(conn, "tally-a")
    assert (state.total, version) == (10, 6)


async def _stale(conn: Connection) -> None:
    """An append after version 1 where the stream is already at 2: what a writer that lost the race does."""
    event = NewEvent(event_type="tally.Added", data={"amount": 100}, group_id="g-1", estate_id="e-1")
    await EventStore().append_many(conn, [StreamAppend("tally-a", 1, [event])])


async def test_a_writer_that_keeps_losing_gets_a_conflict_after_bounded_reruns(pool: Pool) -> None:
    class AlwaysBehind(EventStore):
        async def append_many(self, conn: Connection, appends: Any) -> None:
            raise WrongExpectedVersion("tally-a", 0, 1)

    repo = repository(store=AlwaysBehind(), attempts=3)
    with pytest.raises(ConcurrencyConflict):
        await repo.run(pool, "tally-a", Add(1), CAUSE)
    assert await table(pool) == []


async def test_a_snapshot_is_taken_every_n_events_and_loading_from_it_gives_the_same_state(pool: Pool) -> None:
    repo = repository(snapshots=Snapshotting(Tally, kind="tally-v1", every=3))
    for amount in range(1, 8):
        await repo.run(pool, "tally-a", Add(amount), CAUSE)
    async with pool.acquire() as conn:
        snapshot = await conn.fetchrow("SELECT version, state FROM snapshots WHERE stream_id = 'tally-a'")
        from_snapshot = await repo.load(conn, "tally-a")
        from_events = await repository().load(conn, "tally-a")
    assert snapshot["version"] == 6 and snapshot["state"] == {"total": 21, "closed": False}
    assert from_snapshot == from_events == (Tally(total=28), 7)


async def test_a_snapshot_of_another_kind_is_ignored(pool: Pool) -> None:
    await repository(snapshots=Snapshotting(Tally, kind="tally-v1", every=1)).run(pool, "tally-a", Add(4), CAUSE)
    async with pool.acquire() as conn:
        await conn.execute('UPDATE snapshots SET state = \'{"total": 999, "closed": false}\'')
        assert await repository(snapshots=Snapshotting(Tally, kind="tally-v2")).load(conn, "tally-a") == (Tally(4), 1)


async def test_every_event_keeps_the_cause_of_its_command(pool: Pool) -> None:
    cause = Cause(
        group_id="g-1",
        estate_id="e-1",
        correlation_id=uuid4(),
        causation_id=uuid4(),
        actor="lt-sc-1",
        trace={"traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"},
    )
    await repository().run(pool, "tally-a", Add(1), cause)
    async with pool.acquire() as conn:
        (stored,) = await EventStore().load(conn, "tally-a")
    assert stored.metadata == {
        "correlation_id": str(cause.correlation_id),
        "causation_id": str(cause.causation_id),
        "actor": "lt-sc-1",
        "traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
    }
    assert (stored.group_id, stored.estate_id) == ("g-1", "e-1")


async def test_a_command_without_a_trace_of_its_own_continues_the_streams_trace(pool: Pool) -> None:
    """Issue 17 §9: a timer's transition joins the trace of the request that began the stream."""
    origin = {"traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}
    elsewhere = {"traceparent": "00-11111111111111111111111111111111-2222222222222222-01"}
    repo = repository()
    await repo.run(pool, "tally-a", Add(1), Cause(group_id="g-1", estate_id="e-1", trace=origin))
    await repo.run(pool, "tally-a", Close("timer"), Cause(group_id="g-1", estate_id="e-1", causation_id=uuid4()))
    await repo.run(pool, "tally-b", Add(1), Cause(group_id="g-1", estate_id="e-1", trace=elsewhere))
    async with pool.acquire() as conn:
        stored = await EventStore().load(conn, "tally-a")
        outbox = await conn.fetchval("SELECT traceparent FROM outbox WHERE event_type = 'tally.Closed'")
        other = await EventStore().load(conn, "tally-b")
    assert [e.metadata["traceparent"] for e in stored] == [origin["traceparent"]] * 2
    assert outbox == origin["traceparent"]
    assert other[0].metadata["traceparent"] == elsewhere["traceparent"]  # its own trace, not another stream's
