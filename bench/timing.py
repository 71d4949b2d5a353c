"""Counting and timing: a rate is only meaningful with the count and the seconds it came from."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Measurement:
    """`count` things done in `seconds` of wall-clock time."""

    count: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.count / self.seconds if self.seconds > 0 else float("inf")


def median_by(items: Sequence[T], key: Callable[[T], float]) -> T:
    """The item with the median key (the lower one of an even count), kept whole with its parts.

    One slow outlier, such as a checkpoint landing in one round, does not decide the figure.
    """
    if not items:
        raise ValueError("nothing measured")
    return sorted(items, key=key)[(len(items) - 1) // 2]


def median_rate(measurements: Sequence[Measurement]) -> Measurement:
    return median_by(measurements, lambda m: m.rate)


def chunks(items: Sequence[T], size: int) -> list[Sequence[T]]:
    """Consecutive slices of at most `size` items."""
    return [items[i : i + size] for i in range(0, len(items), size)]
