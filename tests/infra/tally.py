"""A tiny aggregate for the repository's own tests: a tally that can be added to until it is closed."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import ClassVar

from huifang_infra.decider import Decider


@dataclass(frozen=True)
class Add:
    amount: int


@dataclass(frozen=True)
class Close:
    reason: str


@dataclass(frozen=True)
class Reopen:
    TYPE: ClassVar[str] = "tally.Reopened"


@dataclass(frozen=True)
class Added:
    amount: int
    TYPE: ClassVar[str] = "tally.Added"


@dataclass(frozen=True)
class Closed:
    reason: str
    TYPE: ClassVar[str] = "tally.Closed"


@dataclass(frozen=True)
class Tally:
    total: int = 0
    closed: bool = False


class TallyClosed(Exception):
    """A closed tally takes no more."""


def decide(command: Add | Close, state: Tally) -> list[Added | Closed]:
    if isinstance(command, Add):
        if state.closed:
            raise TallyClosed("closed")
        return [Added(command.amount)]
    return [] if state.closed else [Closed(command.reason)]


def evolve(state: Tally, event: Added | Closed) -> Tally:
    if isinstance(event, Added):
        return replace(state, total=state.total + event.amount)
    return replace(state, closed=True)


tally: Decider[Add | Close, Tally, Added | Closed] = Decider(Tally, decide, evolve)
