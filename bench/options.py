"""Command-line options of `python -m bench.backbone`; defaults give a full run of a few minutes on 2 cores."""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Options:
    events: int
    partitions: int
    consumer_batch: int
    consumer_repeats: int
    repeats: int
    warmup_events: int
    outbox_single: int
    outbox_rows_per_transaction: int
    streams: int
    saves_per_stream: int
    events_per_save: int
    state_dir: Path
    kafka_port: int
    postgres_port: int
    write_readme: bool


def parse_options(argv: list[str] | None = None) -> Options:
    cache = Path(os.environ.get("HUIFANG_CACHE_DIR", ".cache"))
    p = argparse.ArgumentParser(prog="python -m bench.backbone", description=__doc__)
    p.add_argument("--events", type=int, default=50_000, help="events for the consumer and relay runs")
    p.add_argument("--partitions", type=int, default=12, help="partitions of the benchmark topics")
    p.add_argument("--consumer-batch", type=int, default=500, help="IdempotentConsumer batch_size")
    p.add_argument("--consumer-repeats", type=int, default=3, help="runs of the idempotent consumer (median)")
    p.add_argument("--repeats", type=int, default=3, help="runs of the raw pipeline and event-store rounds")
    p.add_argument("--warmup-events", type=int, default=2_000, help="events through every path before timing")
    p.add_argument("--outbox-single", type=int, default=5_000, help="outbox rows written one per transaction")
    p.add_argument("--outbox-rows-per-transaction", type=int, default=100, help="rows per transaction in bulk")
    p.add_argument("--streams", type=int, default=10_000, help="event-store streams")
    p.add_argument("--saves-per-stream", type=int, default=2, help="appends (transactions) per stream")
    p.add_argument("--events-per-save", type=int, default=2, help="events per append")
    p.add_argument("--state-dir", type=Path, default=cache / "bench-stack", help="the benchmark stack's files")
    p.add_argument("--kafka-port", type=int, default=26192, help="the benchmark broker's port (controller +1)")
    p.add_argument("--postgres-port", type=int, default=26532, help="the benchmark PostgreSQL's port")
    p.add_argument("--no-readme", dest="write_readme", action="store_false", help="print only")
    return Options(**vars(p.parse_args(argv)))
