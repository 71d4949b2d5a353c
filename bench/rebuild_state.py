"""State rebuild (issue 17): a callback database's streams folded back into its tables, in events/s.

The store is filled through the service's own repository, as the consumer writes it: 250,000 callbacks
of 4 events each (scheduled, due, an attempt, completed) = 1,000,000 events by default, a 1,000-stream
batch per transaction. Then, in the same run, (1) a raw read of every event (`SELECT data::text` in
pages of 20,000 and `json.loads`) — the floor a rebuild cannot beat — and (2) `rebuild_state`:
truncate the tables, read the streams in order, decode each event, fold it, and project 2,000 streams
per statement. Both are timed from their first statement to the commit.

    HUIFANG_KAFKA_PORT=27092 HUIFANG_POSTGRES_PORT=27432 uv run python -m bench.rebuild_state [--callbacks 250000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from huifang_callback.bootstrap import state_parts
from huifang_callback.config import CallbackSettings
from huifang_callback.domain.commands import CompleteCallback, CountAttempt, MarkDue, ScheduleCallback
from huifang_callback.domain.events import CallbackRecord
from huifang_callback.service_layer.callbacks import callback_repository, stream_of
from huifang_contracts.enums import CallbackMethod, RequestKind, SatisfactionScale, StaffRole
from huifang_infra.db import Pool, connect, create_pool, transaction
from huifang_infra.migrations import infra_migrations, migrate, service_migrations
from huifang_infra.repository import Cause, Command
from huifang_infra.state_rebuild import rebuild_state
from huifang_infra.wiring import outbox_for

from bench.environment import bench_servers, fresh_database

T = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)
BATCH = 1000


def record(i: int) -> CallbackRecord:
    estate = f"E{i % 200}"
    return CallbackRecord(
        callback_id=f"cb-bench-{i}", group_id="G1", estate_id=estate, source_type="intake.OrderClosed",
        source_id=f"WO-{i}", kind=RequestKind.REPAIR, round=1, rule_id="repair.all", policy_id="preset-full",
        policy_version=1, window_start=T, due_at=T + timedelta(hours=1), deadline=T + timedelta(days=3),
        method=CallbackMethod.PHONE, caller_role=StaffRole.SERVICE_CENTER_STAFF, max_attempts=3,
        retry_spacing_minutes=120, reopen_cap=3, mandatory=False, rating_scale=SatisfactionScale.FOUR_LEVEL,
        unit_id=f"U-{i % 5000}", department="engineering", worker_id=f"W-{i % 40}",
    )  # fmt: skip


async def fill(pool: Pool, callbacks: int) -> int:
    repository = callback_repository(outbox_for(CallbackSettings()))
    later = T + timedelta(hours=2)
    done = CompleteCallback(at=later, decided_at=later, satisfied=True, attempts_used=1, reason=None, occurred_at=later)
    steps = [MarkDue(later), CountAttempt(1), done]
    for start in range(0, callbacks, BATCH):
        commands = []
        for i in range(start, min(start + BATCH, callbacks)):
            rec, cause = record(i), Cause(group_id="G1", estate_id=f"E{i % 200}")
            stream = stream_of(rec.callback_id)
            commands += [Command(stream, ScheduleCallback(rec, T), cause)]
            commands += [Command(stream, step, cause) for step in steps]
        async with transaction(pool) as conn:
            await repository.execute_many(conn, commands)
            await conn.execute("DELETE FROM outbox")  # the relay's job; not part of what is measured
    return int(await pool.fetchval("SELECT count(*) FROM events"))


async def raw_read(url: str) -> tuple[int, float]:
    conn = await connect(url)
    try:
        started, n, after = time.perf_counter(), 0, 0
        while True:
            rows = await conn.fetch(
                "SELECT global_position, data::text AS data FROM events WHERE global_position > $1 "
                "ORDER BY global_position LIMIT 20000",
                after,
            )
            for row in rows:
                json.loads(row["data"])
            n += len(rows)
            if len(rows) < 20000:
                return n, time.perf_counter() - started
            after = rows[-1]["global_position"]
    finally:
        await conn.close()


async def run(args: argparse.Namespace) -> None:
    with bench_servers(Path(".cache/bench-rebuild"), 27092, 27432) as servers:
        url = await fresh_database(servers, "bench_rebuild_state")
        pool = await create_pool(url, max_size=2)
        await migrate(pool, [infra_migrations(), service_migrations("callback")])
        started = time.perf_counter()
        events = await fill(pool, args.callbacks)
        print(f"filled {events:,} events in {time.perf_counter() - started:.0f} s", flush=True)
        await pool.execute("VACUUM ANALYZE events")
        await pool.close()
        raw_n, raw_s = await raw_read(url)
        conn = await connect(url)
        try:
            rebuilt = await rebuild_state(conn, state_parts(CallbackSettings(database_url=url)))
            rows = await conn.fetchval("SELECT count(*) FROM callbacks")
        finally:
            await conn.close()
        print(
            f"| raw read of the store (SELECT + json.loads) | {raw_n:,} events | {raw_s:.1f} s | "
            f"{raw_n / raw_s:,.0f} events/s |"
        )
        print(
            f"| rebuild state (callback: decode, fold, project) | {rebuilt.events:,} events, {rebuilt.streams:,} "
            f"streams → {rows:,} rows | {rebuilt.seconds:.1f} s | {rebuilt.events_per_second:,.0f} events/s |"
        )
        print(
            f"ratio to the raw read: {rebuilt.events_per_second / (raw_n / raw_s):.2f}; "
            f"target ≥ 20,000 events/s and 1,000,000 events < 60 s"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--callbacks", type=int, default=250_000)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
