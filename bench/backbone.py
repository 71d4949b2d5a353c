"""Benchmark of the event backbone: `make bench`, or `uv run python -m bench.backbone --help`.

One run on one machine measures (a) the idempotent consumer against the raw limit of the same work,
(b) the outbox and its relay, (c) our event store against the `eventsourcing` library's PostgreSQL
recorder; it prints a table of figures and ratios and keeps it in bench/README.md.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import time

from huifang_infra.gc_tuning import tune_gc

from bench import sections
from bench.environment import Servers, bench_servers, machine_facts
from bench.options import Options, parse_options
from bench.orders import delete_topics, order_closed
from bench.report import Line, render_markdown, render_text, write_readme


async def measure_all(opts: Options, servers: Servers) -> tuple[list[Line], dict[str, str]]:
    """All three sections against one set of servers; the run's topics are deleted afterwards."""
    run = sections.run_id()
    envelopes = [order_closed(i) for i in range(opts.events)]
    pool = await sections.backbone_database(servers)
    try:
        print("(a) consumer …", flush=True)
        lines = await sections.measure_consumer(opts, servers, pool, run, envelopes)
        print("(b) outbox and relay …", flush=True)
        lines += await sections.measure_outbox(opts, servers, pool, run, envelopes)
    finally:
        await pool.close()
        await delete_topics(servers.bootstrap, [f"bench.{kind}.{run}" for kind in ("orders", "warmup", "relay")])
    print("(c) event store …", flush=True)
    lines += await sections.measure_eventstore(opts, servers)
    return lines, await machine_facts(servers)


def main(argv: list[str] | None = None) -> int:
    opts = parse_options(argv)
    logging.basicConfig(level=logging.WARNING)
    # A fresh broker makes aiokafka log retries (leaders not yet elected, the offsets topic being
    # created) that it recovers from; the run checks its own outcome (every event, exactly once).
    logging.getLogger("aiokafka").setLevel(logging.CRITICAL)
    tune_gc()  # as every service process does (`serve`): both pipelines of (a) run under it
    started = time.monotonic()
    with bench_servers(opts.state_dir, opts.kafka_port, opts.postgres_port) as servers:
        lines, facts = asyncio.run(measure_all(opts, servers))
    facts["run"] = f"{time.monotonic() - started:.0f} s including the stack's start and stop"
    print()
    print(render_text(lines, facts))
    if opts.write_readme:
        command = " ".join(["python -m bench.backbone", *(argv if argv is not None else sys.argv[1:])]).strip()
        write_readme(render_markdown(lines, facts, command))
        print("\nwritten to bench/README.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
