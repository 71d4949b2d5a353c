"""The units a poll is applied in: consecutive deliveries of one type, or of one batch handler — so a
handler registered for several types (dispatch's assignment, callback's triggers) gets a mixed poll in
one call, one load and one append, with the order kept."""

from __future__ import annotations

from typing import Any

import pytest
from huifang_infra.consumed import Delivery, runs_of

pytestmark = pytest.mark.unit


class FakeEnvelope:
    def __init__(self, event_type: str) -> None:
        self.type = event_type


def deliveries(*types: str) -> list[Delivery]:
    return [Delivery(record=None, envelope=FakeEnvelope(t), event=i) for i, t in enumerate(types)]  # type: ignore[arg-type]


def kinds(runs: Any) -> list[list[str]]:
    return [[d.envelope.type for d in run] for run in runs]


TYPES = ("callback.CallbackScheduled", "callback.CallbackDue", "callback.CallbackScheduled", "survey.CallbackCompleted")


def test_by_type_each_change_of_type_starts_a_run() -> None:
    assert [len(run) for run in runs_of(deliveries(*TYPES))] == [1, 1, 1, 1]


def test_by_handler_a_handler_of_several_types_gets_them_in_one_run_in_order() -> None:
    def assignments(*_: Any) -> None: ...

    def estates(*_: Any) -> None: ...

    handlers = {t: assignments for t in TYPES} | {"intake.EstateUpdated": estates}
    runs = list(runs_of(deliveries(*TYPES, "intake.EstateUpdated", "callback.CallbackDue"), key=handlers.get))
    assert kinds(runs) == [list(TYPES), ["intake.EstateUpdated"], ["callback.CallbackDue"]]
    assert [d.event for d in runs[0]] == [0, 1, 2, 3]
