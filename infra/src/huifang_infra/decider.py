"""The decider: an aggregate as three pure functions, the one write-side shape of every service.

A service's `domain/<aggregate>.py` defines `initial_state()`, `decide(command, state) -> events` and
`evolve(state, event) -> state` with no I/O and no clock reads (time arrives in the command), and
bundles them here in its service layer. The repository (`huifang_infra.repository`) is the only code
that loads, decides and appends; tests run the same three functions as given / when / then.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

C = TypeVar("C")
S = TypeVar("S")
E = TypeVar("E")


@dataclass(frozen=True)
class Decider(Generic[C, S, E]):
    """Emmett's decider in Python: what an aggregate decides, and how its state folds from its events."""

    initial_state: Callable[[], S]
    decide: Callable[[C, S], Sequence[E]]
    evolve: Callable[[S, E], S]

    def fold(self, events: Iterable[E], state: S | None = None) -> S:
        """The state after `events`, from `state` (or the initial one)."""
        current = self.initial_state() if state is None else state
        for event in events:
            current = self.evolve(current, event)
        return current

    def given_when(self, given: Iterable[E], command: C) -> list[E]:
        """What the aggregate decides after `given` when it receives `command` — the unit tests' shape."""
        return list(self.decide(command, self.fold(given)))
