"""The monthly sample of an estate, month and rule as a decider: drawn once, ever (R-CB-13).

The draw itself (population, fatigue, seeded choice) is computed before the command, from values; the
stream only says whether this sample exists yet. A second instance or a repeated request decides
nothing, and a writer that raced past that check is refused by the stream's expected version.
"""

from __future__ import annotations

from dataclasses import dataclass

from huifang_callback.domain.events import Drawn, SampleEvent, SampleRecord


@dataclass(frozen=True)
class DrawSample:
    sample: SampleRecord


@dataclass(frozen=True)
class SampleState:
    sample: SampleRecord | None = None


def initial_state() -> SampleState:
    return SampleState()


def decide(command: DrawSample, state: SampleState) -> list[SampleEvent]:
    return [] if state.sample is not None else [Drawn(command.sample)]


def evolve(state: SampleState, event: SampleEvent) -> SampleState:
    return SampleState(event.sample)
