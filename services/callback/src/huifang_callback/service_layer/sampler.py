"""Issue 6 §5: the monthly sample (R-CB-4, R-CB-13), drawn once per estate, month and rule.

A chunk of draws is one transaction of a few statements: read the populations, draw in memory, decide
a `DrawSample` on each sample's stream (`sample-<id>`, one per estate, month and rule), then schedule the
sampled callbacks of the samples drawn now. A second instance or a repeated request finds the streams
written and decides nothing; one that raced past that is refused by the expected version and re-runs
the chunk. The seed comes from an injected source and is recorded in the event.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from huifang_infra.clock import Clock
from huifang_infra.db import Connection, Pool, transaction
from huifang_infra.eventstore import WrongExpectedVersion
from huifang_infra.repository import Cause, Command, ConcurrencyConflict

from huifang_callback.adapters.callbacks import recent_contacts_many, since
from huifang_callback.adapters.orders import populations
from huifang_callback.adapters.samples import find_sample
from huifang_callback.domain.commands import CallbackCommand
from huifang_callback.domain.events import SampleRecord
from huifang_callback.domain.fatigue import tired_units
from huifang_callback.domain.policy import Rule
from huifang_callback.domain.sample import DrawSample
from huifang_callback.service_layer.callbacks import CallbackRepository, SampleRepository, sample_stream_of
from huifang_callback.service_layer.policy_book import EstateRules
from huifang_callback.service_layer.sample_rows import (
    population_of,
    sample_row,
    sampled_callbacks,
)

__all__ = ["DrawRequest", "Sampler", "SeedSource", "random_seed"]

SeedSource = Callable[[], str]
CHUNK = 25
RETRIES = 3


def random_seed() -> str:
    return secrets.token_hex(8)


@dataclass(frozen=True)
class DrawRequest:
    rules: EstateRules
    rule: Rule
    month: str
    requested_by: str | None = None
    keep_empty: bool = True  # the scheduled draw records an empty month; a catch-up of an old one does not

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.rules.estate.estate_id, self.month, self.rule.rule_id)


class Sampler:
    def __init__(
        self,
        pool: Pool,
        samples: SampleRepository,
        callbacks: CallbackRepository,
        clock: Clock,
        seeds: SeedSource = random_seed,
    ) -> None:
        self._pool, self._clock, self._seeds = pool, clock, seeds
        self._samples, self._callbacks = samples, callbacks

    async def draw_many(self, requests: list[DrawRequest], concurrency: int = 8, chunk_size: int = CHUNK) -> int:
        """Draws, `chunk_size` per transaction, `concurrency` transactions at once; the number drawn now.

        Requests are sorted by estate, month and rule, so two instances claim sample rows in the same
        order and at worst wait for each other, never deadlock.
        """
        ordered = sorted(requests, key=lambda r: r.key)
        chunks = [ordered[i : i + chunk_size] for i in range(0, len(ordered), chunk_size)]
        gate = asyncio.Semaphore(concurrency)

        async def one(chunk: list[DrawRequest]) -> int:
            async with gate:
                return len(await self._draw_in_transaction(chunk))

        return sum(await asyncio.gather(*(one(c) for c in chunks)))

    async def draw(self, request: DrawRequest) -> dict[str, Any] | None:
        """The new sample's row, or None when it was drawn already (or an old month had no orders)."""
        drawn = await self._draw_in_transaction([request])
        return drawn[0] if drawn else None

    async def existing(self, request: DrawRequest) -> dict[str, Any] | None:
        async with self._pool.acquire() as conn:
            return await find_sample(conn, *request.key)

    async def _draw_in_transaction(self, requests: list[DrawRequest]) -> list[dict[str, Any]]:
        """A chunk in one transaction; drawn again when another instance drew one of its samples meanwhile
        (then the stream says it exists, and nothing is drawn twice)."""
        for _attempt in range(RETRIES):
            try:
                async with transaction(self._pool) as conn:
                    return await self._draw_chunk(conn, requests)
            except WrongExpectedVersion:
                continue
        raise ConcurrencyConflict(requests[0].key[0], RETRIES)

    async def _draw_chunk(self, conn: Connection, requests: list[DrawRequest]) -> list[dict[str, Any]]:
        now = self._clock()
        orders = await populations(conn, sorted({r.key[0] for r in requests}), sorted({r.month for r in requests}))
        by_estate_month: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for order in orders:
            by_estate_month.setdefault((order["estate_id"], order["local_month"]), []).append(order)
        contacts = await self._recent_contacts(conn, requests, now)
        planned: list[tuple[DrawRequest, dict[str, Any], list[dict[str, Any]]]] = []
        for request in requests:
            month_orders = by_estate_month.get((request.key[0], request.month), [])
            candidates = population_of(request.rule, month_orders)
            if not candidates and not request.keep_empty:
                continue
            fatigue = request.rules.policy.body.fatigue
            tired = tired_units(contacts.get(request.key[0], {}), fatigue)
            row = sample_row(request.rules, request.rule, request.month, candidates, tired, self._seeds(), now,
                             request.requested_by)  # fmt: skip
            planned.append((request, row, candidates))
        samples = [
            Command(sample_stream_of(row["sample_id"]), DrawSample(_record(row)), _cause(row)) for _, row, _ in planned
        ]
        decided = await self._samples.execute_many(conn, samples)  # R-CB-13: exactly once, by the stream
        drawn_now = {d.state.sample.sample_id for d in decided if d.events and d.state.sample}
        owed: list[Command[CallbackCommand]] = []
        drawn_rows = []
        for request, row, candidates in planned:
            if row["sample_id"] not in drawn_now:
                continue
            owed += sampled_callbacks(request.rules, request.rule, row, candidates, now)
            drawn_rows.append(row)
        await self._callbacks.execute_many(conn, owed)  # after SampleDrawn, which caused them
        return drawn_rows

    async def _recent_contacts(
        self, conn: Connection, requests: list[DrawRequest], now: Any
    ) -> dict[str, dict[str, int]]:
        """Issue 6 §7: per estate with a fatigue limit, its households' recent non-mandatory contacts."""
        by_days: dict[int, list[str]] = {}
        for request in requests:
            fatigue = request.rules.policy.body.fatigue
            if fatigue is not None:
                by_days.setdefault(fatigue.days, []).append(request.key[0])
        found: dict[str, dict[str, int]] = {}
        for days, estate_ids in by_days.items():
            found |= await recent_contacts_many(conn, sorted(set(estate_ids)), since(now, days))
        return found


def _cause(row: dict[str, Any]) -> Cause:
    return Cause(group_id=row["group_id"], estate_id=row["estate_id"], actor=row.get("requested_by") or "timer")


def _record(row: dict[str, Any]) -> SampleRecord:
    lists = {k: tuple(row[k]) for k in ("population", "chosen", "excluded")}
    return SampleRecord(**(row | lists))
