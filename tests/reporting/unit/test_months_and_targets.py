"""Estate-local months and targets (R-SV-5): boundaries in the estate's zone; exactly-once identity."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from huifang_contracts.enums import Metric
from huifang_reporting.domain.errors import PeriodInvalid
from huifang_reporting.domain.kpis import Counts
from huifang_reporting.domain.months import closes_at, month_of, months_between, quarter_months
from huifang_reporting.domain.targets import TargetRow, action_id, breaches, targets_for

pytestmark = pytest.mark.unit


def test_month_boundaries_follow_the_estate_zone() -> None:
    instant = datetime(2026, 1, 31, 17, 0, tzinfo=UTC)
    assert month_of(instant) == "2026-02"  # 1 Feb 01:00 in Asia/Shanghai (the default)
    assert month_of(instant, "Europe/London") == "2026-01"


def test_a_month_closes_five_days_after_its_local_end() -> None:
    # R-CB-4: the month's sampled callbacks are due before the 5th of the next month
    # 2026-03-01 00:00 Shanghai = 2026-02-28 16:00 UTC, plus five days
    assert closes_at("2026-02", "Asia/Shanghai", 5) == datetime(2026, 3, 5, 16, 0, tzinfo=UTC)
    assert closes_at("2026-12", "Asia/Shanghai", 0) == datetime(2026, 12, 31, 16, 0, tzinfo=UTC)


def test_periods() -> None:
    assert quarter_months("2026-Q3") == ["2026-07", "2026-08", "2026-09"]
    assert months_between("2025-11", "2026-02") == ["2025-11", "2025-12", "2026-01", "2026-02"]
    with pytest.raises(PeriodInvalid):
        months_between("2026-03", "2026-02")
    with pytest.raises(PeriodInvalid):
        quarter_months("2026-Q5")


def test_the_estate_target_wins_over_the_group_and_the_default() -> None:
    assert targets_for("E1", []) == {Metric.OVERALL_SATISFACTION: 95.0}  # R-SV-5 national benchmark
    rows = [TargetRow("*", Metric.OVERALL_SATISFACTION, 90.0), TargetRow("E1", Metric.OVERALL_SATISFACTION, 97.0)]
    assert targets_for("E1", rows)[Metric.OVERALL_SATISFACTION] == 97.0
    assert targets_for("E2", rows)[Metric.OVERALL_SATISFACTION] == 90.0


def test_breaches_need_a_figure_below_target() -> None:
    targets = {Metric.OVERALL_SATISFACTION: 95.0, Metric.TIMELINESS: 90.0}
    # 37/40 = 92.5 % < 95 %; timeliness has nothing counted: no breach
    found = breaches(Counts(questionnaires_returned=40, overall_satisfied=37), targets)
    assert [(b.metric, b.actual_percent) for b in found] == [(Metric.OVERALL_SATISFACTION, 92.5)]
    assert breaches(Counts(questionnaires_returned=40, overall_satisfied=38), targets) == []  # 95 % meets it


def test_one_action_identity_per_estate_month_and_kpi() -> None:
    first = action_id("G1", "E1", "2026-02", Metric.OVERALL_SATISFACTION)
    assert first == action_id("G1", "E1", "2026-02", Metric.OVERALL_SATISFACTION)
    assert first != action_id("G1", "E1", "2026-03", Metric.OVERALL_SATISFACTION)
    assert first != action_id("G1", "E1", "2026-02", Metric.TIMELINESS)
