"""R-CB-4, R-CB-13: how many to sample, how many by door, and which — reproducibly from a seed.

The draw is `sha256-seed-id-rank-v1`: rank every population id by the hex SHA-256 of `"<seed>:<id>"` (UTF-8),
ascending, and take the first k. It needs no language's random generator, so an auditor can redo it
in a spreadsheet or any language; the chosen ids come out in rank order, and the first `door_count`
of them get door visits.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from huifang_callback.domain.policy import Tier

ALGORITHM = "sha256-seed-id-rank-v1"


def sample_size(n: int, tiers: Sequence[Tier]) -> int:
    """k for a population of n, by the first tier whose `up_to` covers n (R-CB-4's table as data)."""
    if n <= 0:
        return 0
    for tier in tiers:
        if tier.up_to is None or n <= tier.up_to:
            if tier.take == "at_most":
                return min(n, tier.value)
            if tier.take == "percent_ceil":
                return min(n, -(-n * tier.value // 100))  # integer ceil: no float error at 30 % of 20
            return min(n, tier.value)
    return 0


def door_count(k: int, share_percent: int) -> int:
    """R-CB-4: 半数以上 includes one half, so door = ceil(k · share); ceil(k/2) at 50 %."""
    return -(-k * share_percent // 100)


def rank_key(seed: str, source_id: str) -> str:
    return hashlib.sha256(f"{seed}:{source_id}".encode()).hexdigest()


def draw(population: Sequence[str], seed: str, k: int) -> list[str]:
    """R-CB-13: the k ids with the lowest rank keys, in rank order."""
    return sorted(population, key=lambda source_id: rank_key(seed, source_id))[:k]


@dataclass(frozen=True)
class Sample:
    population: list[str]
    seed: str
    chosen: list[str]
    door_count: int
    algorithm: str = ALGORITHM


def draw_sample(population: Sequence[str], seed: str, tiers: Sequence[Tier], door_share_percent: int) -> Sample:
    ordered = sorted(set(population))  # the recorded population: sorted, no duplicates
    k = sample_size(len(ordered), tiers)
    return Sample(ordered, seed, draw(ordered, seed, k), door_count(k, door_share_percent))


def reproduce(population: Sequence[str], seed: str, algorithm: str, k: int) -> list[str]:
    """Redo a recorded draw; an unknown algorithm name is refused rather than guessed."""
    if algorithm != ALGORITHM:
        raise ValueError(f"unknown sampling algorithm {algorithm!r}")
    return draw(population, seed, k)
