"""R-CB-13: redo a recorded draw from what `SampleDrawn` carries — population, seed, algorithm, size."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from huifang_callback.domain.errors import AlgorithmUnknown
from huifang_callback.domain.sampling import ALGORITHM, reproduce


@dataclass(frozen=True)
class Reproduction:
    algorithm: str
    seed: str
    population_size: int
    chosen_ids: list[str]
    recorded_chosen_ids: list[str]
    matches: bool
    door_count: int


def reproduce_event(payload: dict[str, Any]) -> Reproduction:
    if payload["algorithm"] != ALGORITHM:
        raise AlgorithmUnknown(f"unknown sampling algorithm {payload['algorithm']!r}; this service knows {ALGORITHM}")
    recorded = list(payload["chosen_ids"])
    chosen = reproduce(payload["population_ids"], payload["seed"], payload["algorithm"], len(recorded))
    return Reproduction(
        algorithm=payload["algorithm"],
        seed=payload["seed"],
        population_size=len(payload["population_ids"]),
        chosen_ids=chosen,
        recorded_chosen_ids=recorded,
        matches=chosen == recorded,
        door_count=payload["door_count"],
    )
