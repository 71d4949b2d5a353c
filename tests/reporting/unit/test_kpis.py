"""The formulas on hand-computed counts (R-SV-4, R-RP-1, R-RP-2), with numerator and denominator."""

from __future__ import annotations

import pytest
from huifang_contracts.enums import Metric
from huifang_reporting.domain.kpis import Counts, Ratio, complaint_counts, rates

pytestmark = pytest.mark.unit


def test_each_rate_states_its_numerator_and_denominator() -> None:
    c = Counts(
        callbacks_required=8,
        callbacks_required_done=6,
        callbacks_completed=7,
        callbacks_satisfied=5,
        callbacks_on_time=6,
        callbacks_failed=1,
        complaint_callbacks=3,
        complaint_callbacks_satisfied=2,
        questionnaires_returned=40,
        overall_satisfied=38,
        campaign_issued=50,
        campaign_returned=40,
    )
    r = rates(c)
    assert r[Metric.OVERALL_SATISFACTION] == Ratio(38, 40)  # R-SV-4: 95.00 %
    assert r[Metric.OVERALL_SATISFACTION].percent == 95.0
    assert r[Metric.CALLBACK_SATISFACTION].as_dict() == {"numerator": 5, "denominator": 7, "percent": 71.43}  # R-RP-1
    assert r[Metric.COMPLAINT_SATISFACTION].percent == 66.67
    assert r[Metric.TIMELINESS].as_dict() == {"numerator": 6, "denominator": 7, "percent": 85.71}  # R-RP-2
    assert r[Metric.SUCCESS_RATE].as_dict() == {"numerator": 7, "denominator": 8, "percent": 87.5}  # 7 reached / 8
    assert r[Metric.COVERAGE].as_dict() == {"numerator": 6, "denominator": 8, "percent": 75.0}
    assert r[Metric.RETURN_RATE].percent == 80.0  # R-SV-4: 40 / 50


def test_nothing_counted_is_no_figure_not_zero_percent() -> None:
    assert Ratio(0, 0).percent is None
    assert rates(Counts())[Metric.CALLBACK_SATISFACTION].as_dict() == {
        "numerator": 0,
        "denominator": 0,
        "percent": None,
    }


def test_counts_add_for_the_group_roll_up_and_complaints_split() -> None:
    total = Counts(complaints_received=3, complaints_general=2, complaints_major=1, complaints_valid=2) + Counts(
        complaints_received=1, complaints_important=1, complaints_invalid=1
    )
    split = complaint_counts(total)
    assert split["grade"] == {"general": 2, "important": 1, "major": 1}
    assert split["validity"] == {"valid": 2, "coordination": 0, "invalid": 1, "undetermined": 1}
