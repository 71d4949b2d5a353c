"""R-CB-13: the CLI reproduces a sample from its `SampleDrawn` event file; a tampered one fails."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from huifang_callback.domain.policy import Tier
from huifang_callback.domain.presets import TIANXIACHENG_TIERS
from huifang_callback.domain.sampling import draw_sample
from huifang_callback.entrypoints.cli import main
from huifang_contracts.callback import SampleDrawn
from huifang_contracts.enums import RequestKind

pytestmark = pytest.mark.unit


def _event(chosen: list[str] | None = None) -> dict[str, object]:
    tiers = [Tier.model_validate(t) for t in TIANXIACHENG_TIERS]
    sample = draw_sample([f"WO-{i:03d}" for i in range(60)], "c0ffee", tiers, 50)
    return SampleDrawn(
        sample_id="smp-E1-2026-03-repair.monthly-sample", month="2026-03", request_kind=RequestKind.REPAIR,
        population_ids=sample.population, seed=sample.seed, algorithm=sample.algorithm,
        chosen_ids=chosen or sample.chosen, door_count=sample.door_count, rule_id="repair.monthly-sample",
        policy_id="preset-residential", policy_version=1,
    ).model_dump(mode="json")  # fmt: skip


def test_r_cb_13_cli_reproduces_a_sample_from_its_event(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "sample.json"
    path.write_text(json.dumps({"payload": _event()}), encoding="utf-8")
    assert main(["sample", "reproduce", str(path)]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["matches"] and len(printed["chosen_ids"]) == 20 and printed["door_count"] == 10  # n = 60 > 50


def test_r_cb_13_cli_refuses_a_sample_that_does_not_reproduce(tmp_path: Path) -> None:
    path = tmp_path / "sample.json"
    path.write_text(json.dumps(_event(chosen=[f"WO-{i:03d}" for i in range(20)])), encoding="utf-8")
    assert main(["sample", "reproduce", str(path)]) == 1
