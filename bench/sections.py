"""The three measurements, each with its warm-up, repeats, correctness check and table rows."""

from __future__ import annotations

import contextlib
import functools
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence

from eventsourcing.postgres import PostgresApplicationRecorder
from huifang_contracts.envelope import Envelope
from huifang_infra.db import Connection, Pool, connect, create_pool
from huifang_infra.migrations import infra_migrations, migrate

from bench import consumer, eventstore, outbox
from bench.environment import Servers, fresh_database
from bench.options import Options
from bench.orders import EFFECTS_DDL, create_topics, order_closed, produce
from bench.report import Line, rate_line, ratio_line
from bench.timing import Measurement, median_by, median_rate

CONSUMER_TARGET = 0.5  # issue 4: exactly-once consumption at least half the raw limit
EVENTSTORE_TARGET = 1.0  # issue 4: our append rate at least the library's

OURS = "EventStore.append (ours)"
LIBRARY = "eventsourcing PostgresApplicationRecorder"
LIBRARY_FN = "eventsourcing, POSTGRES_ENABLE_DB_FUNCTIONS"
OURS_AUTOCOMMIT = "EventStore.append alone, one statement (autocommit)"

#: A store under test: its name and how it appends a list of saves.
Contender = tuple[str, Callable[[Sequence[eventstore.Save]], Awaitable[Measurement]]]


async def backbone_database(servers: Servers) -> Pool:
    """A fresh database with the infra tables (events, outbox, inbox) and both projections."""
    url = await fresh_database(servers, "bench_backbone")
    pool = await create_pool(url, max_size=4)
    await migrate(pool, [infra_migrations()])
    for table in (consumer.OURS_TABLE, consumer.RAW_TABLE):
        await pool.execute(EFFECTS_DDL.format(table=table))
    return pool


async def measure_consumer(
    opts: Options, servers: Servers, pool: Pool, run: str, envelopes: list[Envelope]
) -> list[Line]:
    """(a) Pre-produce the events, warm both pipelines up, then time each on the whole topic."""
    topic, warm = f"bench.orders.{run}", f"bench.warmup.{run}"
    await create_topics(servers.bootstrap, [topic, warm], opts.partitions)
    await produce(servers.bootstrap, warm, [order_closed(i) for i in range(opts.warmup_events)])
    await produce(servers.bootstrap, topic, envelopes)
    raws: list[consumer.RawPipeline] = []
    ours: list[Measurement] = []
    async with pool.acquire() as conn:
        await _consumer_pass(opts, servers, pool, conn, warm, f"bench-warmup-{run}", opts.warmup_events)
        await _raw_pass(servers, conn, warm, opts.warmup_events)
        # Interleaved, so that a slow phase of the machine lands on both pipelines alike.
        for i in range(max(1, opts.repeats, opts.consumer_repeats)):
            if i < max(1, opts.repeats):
                raws.append(await _raw_pass(servers, conn, topic, len(envelopes)))
            if i < max(1, opts.consumer_repeats):
                ours.append(await _consumer_pass(opts, servers, pool, conn, topic, f"bench-{run}-{i}", len(envelopes)))
        per_event = await _consumer_pass(
            opts, servers, pool, conn, topic, f"bench-{run}-per-event", len(envelopes), batch_handler=False
        )
    return _consumer_lines(opts, median_rate(ours), len(ours), raws, per_event)


async def _consumer_pass(
    opts: Options,
    servers: Servers,
    pool: Pool,
    conn: Connection,
    topic: str,
    group: str,
    count: int,
    *,
    batch_handler: bool = True,
) -> Measurement:
    # Every pass starts from empty tables: a fuller inbox index would slow the later passes.
    await conn.execute(f"TRUNCATE {consumer.OURS_TABLE}, inbox")
    m = await consumer.run_idempotent_consumer(
        pool=pool,
        bootstrap=servers.bootstrap,
        topic=topic,
        group=group,
        count=count,
        batch_size=opts.consumer_batch,
        batch_handler=batch_handler,
    )
    rows, distinct = await consumer.effects_check(conn, consumer.OURS_TABLE)
    if rows != count or distinct != count:
        raise RuntimeError(f"{group}: {rows} effects for {distinct} of {count} events; expected exactly once each")
    print(f"  idempotent consumer {group}: {m.rate:,.0f} events/s", flush=True)
    return m


async def _raw_pass(servers: Servers, conn: Connection, topic: str, count: int) -> consumer.RawPipeline:
    await conn.execute(f"TRUNCATE {consumer.RAW_TABLE}")
    raw = await consumer.run_raw_pipeline(conn=conn, bootstrap=servers.bootstrap, topic=topic, count=count)
    print(f"  raw pipeline: {raw.total.rate:,.0f} events/s", flush=True)
    return raw


def _consumer_lines(
    opts: Options, ours: Measurement, runs: int, raws: list[consumer.RawPipeline], per_event: Measurement
) -> list[Line]:
    raw = median_by(raws, lambda r: r.total.rate)
    s = "(a) consume"
    median, part = f"median of {len(raws)} runs", "part of the median run"
    return [
        rate_line(
            s,
            "IdempotentConsumer, inbox + 1 row/event (batch handler)",
            ours,
            "events",
            f"poll {opts.consumer_batch}, {opts.partitions} partitions, median of {runs} runs",
        ),
        rate_line(s, "IdempotentConsumer, per-event handler", per_event, "events", "one run"),
        rate_line(s, "raw: aiokafka read (no group, no DB)", raw.consume, "events", part),
        rate_line(s, "raw: asyncpg COPY of the same rows", raw.copy, "rows", part),
        rate_line(s, "raw pipeline (read + COPY)", raw.total, "events", median),
        ratio_line(s, "ours / raw pipeline", ours.rate / raw.total.rate, CONSUMER_TARGET),
    ]


async def measure_outbox(
    opts: Options, servers: Servers, pool: Pool, run: str, envelopes: list[Envelope]
) -> list[Line]:
    """(b) Warm up, write the outbox both ways, then let one relay drain the whole backlog."""
    topic = f"bench.relay.{run}"
    await create_topics(servers.bootstrap, [topic], opts.partitions)
    await outbox.add_to_outbox(pool, topic, _fresh(opts.warmup_events), 1)
    await outbox.drain_with_relay(pool, servers.bootstrap)
    single = await outbox.add_to_outbox(pool, topic, _fresh(opts.outbox_single), 1)
    bulk = await outbox.add_to_outbox(pool, topic, envelopes, opts.outbox_rows_per_transaction)
    relay = await outbox.drain_with_relay(pool, servers.bootstrap)
    print(f"  relay: {relay.rate:,.0f} events/s", flush=True)
    s = "(b) outbox"
    return [
        rate_line(s, "Outbox.add, 1 row per transaction", single, "rows"),
        rate_line(s, f"Outbox.add, {opts.outbox_rows_per_transaction} rows per transaction", bulk, "rows"),
        rate_line(s, "OutboxRelay.run draining the backlog", relay, "events", "acks=all, idempotent producer"),
    ]


def _fresh(count: int) -> list[Envelope]:
    """Envelopes with ids not yet in the outbox (its event_id is unique)."""
    return [order_closed(i) for i in range(count)]


async def measure_eventstore(opts: Options, servers: Servers) -> list[Line]:
    """(c) The same saves into each store, each in its own database; the order rotates per round."""
    async with contextlib.AsyncExitStack() as stack:
        ours = await stack.enter_async_context(_our_store(servers, "bench_eventstore"))
        autocommit = await stack.enter_async_context(_our_store(servers, "bench_eventstore_autocommit"))
        default = await _library_store(stack, servers, "bench_eventsourcing", db_functions=False)
        functions = await _library_store(stack, servers, "bench_eventsourcing_fn", db_functions=True)
        contenders: list[Contender] = [
            (OURS, functools.partial(eventstore.append_ours, ours)),
            (LIBRARY, functools.partial(eventstore.append_library, default)),
            (LIBRARY_FN, functools.partial(eventstore.append_library, functions)),
            (OURS_AUTOCOMMIT, functools.partial(eventstore.append_ours, autocommit, own_transaction=False)),
        ]
        results = await _eventstore_rounds(opts, contenders)
    return _eventstore_lines(opts, {name: median_rate(ms) for name, ms in results.items()})


async def _library_store(
    stack: contextlib.AsyncExitStack, servers: Servers, database: str, *, db_functions: bool
) -> PostgresApplicationRecorder:
    """The library's recorder on a fresh database, closed with the stack."""
    recorder = eventstore.library_recorder(await fresh_database(servers, database), db_functions=db_functions)
    stack.callback(eventstore.close_library, recorder)
    return recorder


@contextlib.asynccontextmanager
async def _our_store(servers: Servers, database: str) -> AsyncIterator[Connection]:
    """One connection to a fresh database with the infra tables: a single writer, like the library's."""
    conn = await connect(await fresh_database(servers, database))
    try:
        await migrate(conn, [infra_migrations()])
        yield conn
    finally:
        await conn.close()


async def _eventstore_rounds(opts: Options, contenders: list[Contender]) -> dict[str, list[Measurement]]:
    """Each round appends fresh streams; who goes first rotates, so drift (autovacuum, checkpoints) is shared."""
    for _, append in contenders:
        await append(eventstore.save_plan("warmup", max(1, opts.warmup_events // 10), 2, opts.events_per_save))
    rounds = max(1, opts.repeats)
    results: dict[str, list[Measurement]] = {name: [] for name, _ in contenders}
    for r in range(rounds):
        plan = eventstore.save_plan(f"r{r}", opts.streams // rounds, opts.saves_per_stream, opts.events_per_save)
        for name, append in contenders[r:] + contenders[:r]:
            results[name].append(await append(plan))
        shown = ", ".join(f"{name} {ms[-1].rate:,.0f}" for name, ms in results.items())
        print(f"  event store round {r + 1} (events/s): {shown}", flush=True)
    return results


def _eventstore_lines(opts: Options, medians: dict[str, Measurement]) -> list[Line]:
    s, per = "(c) event store", opts.events_per_save
    how = f"{per} events per append, median of {max(1, opts.repeats)} rounds"
    lines = []
    for name, m in medians.items():
        lines.append(rate_line(s, name, Measurement(m.count // per, m.seconds), "appends", how))
        lines.append(rate_line(s, name, m, "events"))
    ours = medians[OURS].rate
    lines.append(ratio_line(s, "ours / eventsourcing (default)", ours / medians[LIBRARY].rate, EVENTSTORE_TARGET))
    # Like for like: the library's function mode is one round trip per save, and so is our append on
    # its own (one atomic statement). In a service the BEGIN/COMMIT belong to the unit of work, which
    # pays them once for the append, the projection and the outbox together; the diagnostic row shows
    # ours with them (three round trips) against that mode's one.
    one_trip = medians[OURS_AUTOCOMMIT].rate / medians[LIBRARY_FN].rate
    lines.append(ratio_line(s, "ours, one round trip / eventsourcing (db functions)", one_trip, EVENTSTORE_TARGET))
    with_tx = ours / medians[LIBRARY_FN].rate
    lines.append(
        Line(
            s,
            "diagnostic: ours in BEGIN/COMMIT / eventsourcing (db functions)",
            f"{with_tx:.2f}",
            "3 round trips against 1",
        )
    )
    return lines


def run_id() -> str:
    """A suffix for this run's topics and groups: nothing left by an earlier run is read again."""
    return uuid.uuid4().hex[:8]
