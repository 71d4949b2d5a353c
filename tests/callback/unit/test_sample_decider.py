"""R-CB-13: a month's sample of an estate and rule is drawn once, ever — as a decider, without I/O."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from huifang_callback.domain.events import Drawn, SampleRecord
from huifang_callback.domain.sample import DrawSample
from huifang_callback.service_layer.callbacks import SAMPLE_CODEC, SAMPLE_DECIDER

pytestmark = pytest.mark.unit

SAMPLE = SampleRecord(
    sample_id="smp-E1-2026-03-repair.monthly-sample", group_id="G1", estate_id="E1", month="2026-03",
    rule_id="repair.monthly-sample", request_kind="repair", policy_id="P1", policy_version=2, seed="5eed",
    algorithm="sha256-rank-v1", population=("WO-1", "WO-2", "WO-3"), chosen=("WO-3",), door_count=1,
    excluded=("WO-9",), drawn_at=datetime(2026, 3, 30, 1, 0, tzinfo=UTC),
)  # fmt: skip


def test_given_no_draw_when_drawn_then_drawn_with_its_population_and_exclusions() -> None:
    assert SAMPLE_DECIDER.given_when([], DrawSample(SAMPLE)) == [Drawn(SAMPLE)]


def test_given_drawn_when_drawn_again_with_another_seed_then_nothing() -> None:
    again = replace(SAMPLE, seed="other", chosen=("WO-1",))
    assert SAMPLE_DECIDER.given_when([Drawn(SAMPLE)], DrawSample(again)) == []
    assert SAMPLE_DECIDER.fold([Drawn(SAMPLE)]).sample == SAMPLE


def test_the_draw_survives_the_store_round_trip() -> None:
    assert SAMPLE_CODEC.decode("sample.Drawn", SAMPLE_CODEC.encode(Drawn(SAMPLE))) == Drawn(SAMPLE)
