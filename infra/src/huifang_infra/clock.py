"""Time comes from a clock passed in, so a test can stand still or jump past a deadline: the one clock.

A clock is any callable returning an aware UTC instant. Services are handed `utc_now`; tests, demos and
replays of a past month hand a `SettableClock` instead.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


class SettableClock:
    """A clock that shows what it was set to."""

    def __init__(self, start: datetime) -> None:
        self._now = start

    def __call__(self) -> datetime:
        return self._now

    def now(self) -> datetime:
        return self._now

    def set(self, instant: datetime) -> None:
        self._now = instant
