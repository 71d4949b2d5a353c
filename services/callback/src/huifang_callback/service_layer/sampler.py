"""Issue 6 §5: the monthly sample (R-CB-4, R-CB-13), drawn once per estate, month and rule.

A chunk of draws is one transaction of a few statements: read the populations, draw in memory, claim
the `samples` rows (unique estate+month+rule, `ON CONFLICT DO NOTHING`), then write the sampled
callbacks and `SampleDrawn` for the claimed ones only. A second instance or a repeated request finds
the rows claimed and writes nothing. The seed comes from an injected source and is recorded.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from huifang_contracts.envelope import Envelope
from huifang_infra.db import Connection, Pool, transaction
from huifang_infra.outbox import Outbox
from huifang_infra.repository import Command

from huifang_callback.adapters.callbacks import recent_contacts_many, since
from huifang_callback.adapters.clock import Clock
from huifang_callback.adapters.orders import populations
from huifang_callback.adapters.samples import claim_samples, find_sample
from huifang_callback.domain.commands import CallbackCommand
from huifang_callback.domain.fatigue import tired_units
from huifang_callback.domain.policy import Rule
from huifang_callback.service_layer.callbacks import CallbackRepository
from huifang_callback.service_layer.policy_book import EstateRules
from huifang_callback.service_layer.sample_rows import (
    population_of,
    sample_drawn,
    sample_row,
    sampled_callbacks,
)

__all__ = ["DrawRequest", "Sampler", "SeedSource", "random_seed"]

SeedSource = Callable[[], str]
CHUNK = 25


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
        self, pool: Pool, outbox: Outbox, callbacks: CallbackRepository, clock: Clock, seeds: SeedSource = random_seed
    ) -> None:
        self._pool, self._outbox, self._clock, self._seeds = pool, outbox, clock, seeds
        self._callbacks = callbacks

    async def draw_many(self, requests: list[DrawRequest], concurrency: int = 8, chunk_size: int = CHUNK) -> int:
        """Draws, `chunk_size` per transaction, `concurrency` transactions at once; the number drawn now.

        Requests are sorted by estate, month and rule, so two instances claim sample rows in the same
        order and at worst wait for each other, never deadlock.
        """
        ordered = sorted(requests, key=lambda r: r.key)
        chunks = [ordered[i : i + chunk_size] for i in range(0, len(ordered), chunk_size)]
        gate = asyncio.Semaphore(concurrency)

        async def one(chunk: list[DrawRequest]) -> int:
            async with gate, transaction(self._pool) as conn:
                return len(await self._draw_chunk(conn, chunk))

        return sum(await asyncio.gather(*(one(c) for c in chunks)))

    async def draw(self, request: DrawRequest) -> dict[str, Any] | None:
        """The new sample's row, or None when it was drawn already (or an old month had no orders)."""
        async with transaction(self._pool) as conn:
            drawn = await self._draw_chunk(conn, [request])
        return drawn[0] if drawn else None

    async def existing(self, request: DrawRequest) -> dict[str, Any] | None:
        async with self._pool.acquire() as conn:
            return await find_sample(conn, *request.key)

    async def _draw_chunk(self, conn: Connection, requests: list[DrawRequest]) -> list[dict[str, Any]]:
        now = self._clock.now()
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
        claimed = await claim_samples(conn, [row for _, row, _ in planned])  # R-CB-13: exactly once
        owed: list[Command[CallbackCommand]] = []
        announced: list[Envelope] = []
        drawn_rows = []
        for request, row, candidates in planned:
            if row["sample_id"] not in claimed:
                continue
            drawn = sample_drawn(row, now)
            announced.append(drawn)
            owed += sampled_callbacks(request.rules, request.rule, row, candidates, drawn)
            drawn_rows.append(row)
        await self._outbox.add(conn, announced)  # SampleDrawn before the callbacks it caused
        await self._callbacks.execute_many(conn, owed)
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
