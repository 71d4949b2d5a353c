"""The pieces that make the roll-up fast without changing a figure: range cover, waves, group sums,
and the words that say what each rate counts (R-RP-2)."""

from __future__ import annotations

from typing import Any, cast

import pytest
from huifang_contracts.enums import Metric
from huifang_reporting.adapters.callback_facts import waves
from huifang_reporting.domain.definitions import definitions
from huifang_reporting.domain.errors import PeriodInvalid
from huifang_reporting.domain.kpis import Counts, Ratio, kpi_answer, rates
from huifang_reporting.domain.months import cover, quarter_of

pytestmark = pytest.mark.unit


def test_a_range_is_covered_by_whole_years_then_whole_quarters_then_months() -> None:
    assert quarter_of("2026-08") == "2026-Q3"
    assert cover("2024-01", "2025-12") == (["2024", "2025"], [], [])  # the benchmark's two years: 2 rows
    # Nov 2024 … Apr 2026: 2025 whole; 2026-Q1 whole; Nov, Dec 2024 and Apr 2026 left over
    assert cover("2024-11", "2026-04") == (["2025"], ["2026-Q1"], ["2024-11", "2024-12", "2026-04"])
    # the dashboard's default twelve months, unaligned: three whole quarters and three months
    assert cover("2025-02", "2026-01") == ([], ["2025-Q2", "2025-Q3", "2025-Q4"], ["2025-02", "2025-03", "2026-01"])
    assert cover("2026-02", "2026-02") == ([], [], ["2026-02"])
    with pytest.raises(PeriodInvalid):
        cover("2026-03", "2026-02")


def test_waves_never_hold_one_callback_twice_and_keep_its_order() -> None:
    # cb4 attempted twice in one run (R-CB-11: each attempt counts): two waves, in run order
    rows = [("G1", "E1", "cb4", 1), ("G1", "E1", "cb3", 1), ("G1", "E1", "cb4", 2), ("G1", "E2", "cb4", 1)]
    assert waves(rows) == [
        [("G1", "E1", "cb4", 1), ("G1", "E1", "cb3", 1), ("G1", "E2", "cb4", 1)],
        [("G1", "E1", "cb4", 2)],
    ]
    assert waves([]) == []


def test_the_group_total_is_the_sum_of_its_estates() -> None:
    e1 = Counts(callbacks_completed=3, callbacks_satisfied=2, complaints_major=1)
    e2 = Counts(callbacks_completed=1, callbacks_satisfied=1)
    total = Counts.total([e1, e2])
    assert total == e1 + e2
    assert rates(total)[Metric.CALLBACK_SATISFACTION] == Ratio(3, 4)  # R-RP-4: 75 %
    assert Counts.total([]) == Counts()


def test_an_answer_built_from_rates_found_once_is_the_same() -> None:
    c = Counts(callbacks_completed=7, callbacks_failed=1, callbacks_on_time=6)
    assert kpi_answer(c, rates(c)) == kpi_answer(c)
    shown = cast(dict[str, Any], kpi_answer(c)["rates"])
    assert shown["success_rate"] == {"numerator": 7, "denominator": 8, "percent": 87.5}  # R-RP-2: 7 / (7 + 1)


def test_every_rate_says_what_its_numerator_and_denominator_count() -> None:
    words = definitions()
    assert set(words) == {m.value for m in Metric if m in rates(Counts())}
    # R-RP-2 success = reached / attempted, per callback: completed / (completed + failed)
    assert words["success_rate"]["numerator"]["en"] == "callbacks reached (completed)"
    assert "completed + failed" in words["success_rate"]["denominator"]["en"]
    assert "完成＋失败" in words["success_rate"]["denominator"]["zh"]
