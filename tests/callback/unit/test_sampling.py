"""R-CB-4 (tier table, door share) and R-CB-13 (reproducible from the recorded seed and population)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import pytest
from huifang_callback.adapters.estates import Estate
from huifang_callback.domain.calendar import WorkingCalendar
from huifang_callback.domain.policy import Tier
from huifang_callback.domain.presets import TIANXIACHENG_TIERS, preset_policy
from huifang_callback.domain.sampling import ALGORITHM, door_count, draw_sample, sample_size
from huifang_callback.service_layer.policy_book import EstateRules
from huifang_callback.service_layer.reproduction import reproduce_event
from huifang_callback.service_layer.sample_rows import sample_row
from huifang_contracts.callback import SampleDrawn
from huifang_contracts.enums import RequestKind

pytestmark = pytest.mark.unit

TIERS = [Tier.model_validate(t) for t in TIANXIACHENG_TIERS]


@pytest.mark.parametrize(
    ("n", "k"),
    [(0, 0), (4, 4), (5, 5), (19, 5), (20, 6), (21, 7), (50, 15), (51, 20), (200, 20)],
)
def test_r_cb_4_sample_size_by_tier(n: int, k: int) -> None:
    # n < 20 → min(n, 5); 20 ≤ n ≤ 50 → ceil(0.3 n) (20 → 6, 21 → 6.3 → 7, 50 → 15); n > 50 → 20.
    assert sample_size(n, TIERS) == k


@pytest.mark.parametrize(("k", "door"), [(0, 0), (1, 1), (4, 2), (5, 3), (6, 3), (7, 4), (15, 8), (20, 10)])
def test_r_cb_4_door_visits_are_half_or_more(k: int, door: int) -> None:
    assert door_count(k, 50) == door


def test_r_cb_13_the_draw_is_the_lowest_sha256_ranks_of_seed_and_id() -> None:
    population = [f"WO-{i}" for i in range(1, 8)]
    sample = draw_sample(reversed(population), "8f14e45fceea167a", TIERS, 50)  # type: ignore[arg-type]
    ranked = sorted(population, key=lambda i: hashlib.sha256(f"8f14e45fceea167a:{i}".encode()).hexdigest())
    assert sample.population == sorted(population)
    assert sample.chosen == ranked[:5]
    assert (sample.door_count, sample.algorithm) == (3, ALGORITHM)


def test_r_cb_13_a_sample_is_reproduced_from_its_event() -> None:
    sample = draw_sample([f"WO-{i:03d}" for i in range(23)], "seed-2026-03", TIERS, 50)
    event = SampleDrawn(
        sample_id="smp-1",
        month="2026-03",
        request_kind=RequestKind.REPAIR,
        population_ids=sample.population,
        seed=sample.seed,
        algorithm=sample.algorithm,
        chosen_ids=sample.chosen,
        door_count=sample.door_count,
        rule_id="repair.monthly-sample",
        policy_id="preset-residential",
        policy_version=1,
    )
    result = reproduce_event(event.model_dump(mode="json"))
    assert result.matches and len(result.chosen_ids) == 7 and result.door_count == 4
    tampered = event.model_dump(mode="json") | {"seed": "another-seed"}
    assert not reproduce_event(tampered).matches


def test_r_cb_13_another_seed_gives_another_sample_the_same_seed_the_same() -> None:
    ids = [f"WO-{i:03d}" for i in range(200)]
    assert draw_sample(ids, "a", TIERS, 50).chosen == draw_sample(ids, "a", TIERS, 50).chosen
    assert draw_sample(ids, "a", TIERS, 50).chosen != draw_sample(ids, "b", TIERS, 50).chosen


def test_issue_6_7_tired_households_leave_the_population_and_are_recorded_as_excluded() -> None:
    policy = preset_policy("residential")
    rules = EstateRules(Estate("G1", "E1", "E1", "residential"), policy, WorkingCalendar())
    rule = policy.body.rule("repair.monthly-sample")
    assert rule is not None
    candidates = [{"order_id": f"WO-{i}", "unit_id": f"U-{i % 3}"} for i in range(6)]
    row = sample_row(rules, rule, "2026-03", candidates, {"U-0"}, "s", datetime(2026, 3, 30, tzinfo=UTC), None)
    assert row["excluded"] == ["WO-0", "WO-3"]  # U-0's two orders
    assert row["population"] == ["WO-1", "WO-2", "WO-4", "WO-5"]
    assert len(row["chosen"]) == 4 and row["door_count"] == 2  # n = 4 < 20 → 4; door ceil(4/2) = 2
