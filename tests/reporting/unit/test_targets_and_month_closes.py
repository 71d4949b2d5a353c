"""The KPI target and the close of an estate-month as deciders (R-SV-5), given / when / then, no I/O."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from huifang_contracts.enums import Metric, SurveyDimension
from huifang_reporting.domain import closed_month as cm
from huifang_reporting.domain import kpi_target as kt
from huifang_reporting.domain.errors import PeriodInvalid, TargetInvalid
from huifang_reporting.domain.events import (
    ClosedMonthImported,
    KpiTarget,
    MonthClosed,
    MonthClosing,
    TargetImported,
    TargetSet,
)
from huifang_reporting.domain.targets import TargetRow, targets_for
from huifang_reporting.service_layer.owned_streams import closed_month, kpi_target, month_codec, target_codec

pytestmark = pytest.mark.unit

AT = datetime(2026, 2, 20, 8, 0, tzinfo=UTC)
SET_90 = kt.SetTarget("G1", "E1", Metric.CALLBACK_SATISFACTION, 90.0, "qd-1", AT)


def test_r_sv_5_given_nothing_when_a_target_is_set_then_it_is_in_force_for_its_estate() -> None:
    (event,) = kpi_target.given_when([], SET_90)
    assert event == TargetSet("G1", "E1", Metric.CALLBACK_SATISFACTION, 90.0, "qd-1", AT)
    state = kpi_target.fold([event])
    assert state.current is not None
    row = TargetRow(state.current.estate_id, state.current.metric, state.current.target_percent)
    assert targets_for("E1", [row]) == {Metric.OVERALL_SATISFACTION: 95.0, Metric.CALLBACK_SATISFACTION: 90.0}


def test_given_a_target_when_set_again_then_the_latest_setting_is_in_force_and_the_first_kept() -> None:
    first = kpi_target.given_when([], SET_90)
    later = kt.SetTarget("G1", "E1", Metric.CALLBACK_SATISFACTION, 85.0, "qd-2", AT + timedelta(days=3))
    second = kpi_target.given_when(first, later)
    state = kpi_target.fold([*first, *second])
    assert state.current is not None and (state.current.target_percent, state.current.set_by) == (85.0, "qd-2")
    # setting the same figure again is still a decision: who confirmed it, and when
    assert len(kpi_target.given_when([*first, *second], later)) == 1


@pytest.mark.parametrize("percent", [-0.01, 100.01])
def test_a_target_outside_0_to_100_percent_is_refused(percent: float) -> None:
    with pytest.raises(TargetInvalid):
        kpi_target.given_when([], kt.SetTarget("G1", "*", Metric.COVERAGE, percent, "qd-1", AT))


def test_a_targets_stream_is_named_by_group_estate_kpi_and_dimension() -> None:
    assert kt.stream_id("G1", "*", Metric.COVERAGE) == "target-G1/*/coverage"
    dimensioned = kt.stream_id("G1", "E1", Metric.OVERALL_SATISFACTION, SurveyDimension.CLEANING)
    assert dimensioned == "target-G1/E1/overall_satisfaction/cleaning"


def test_an_imported_target_folds_to_its_row() -> None:
    state = KpiTarget(TargetSet("G1", "*", Metric.COVERAGE, 80.0, "admin", AT))
    assert kpi_target.fold([TargetImported(state)]) == state


CLOSE = cm.CloseMonth("G1", "E1", "2026-02", datetime(2026, 3, 5, 16, 0, tzinfo=UTC), "system")


def test_r_sv_5_given_an_open_month_when_closed_then_closed_once_and_a_second_close_decides_nothing() -> None:
    (event,) = closed_month.given_when([], CLOSE)
    assert event == MonthClosed("G1", "E1", "2026-02", CLOSE.at, "system")
    again = cm.CloseMonth("G1", "E1", "2026-02", CLOSE.at + timedelta(hours=2), "qd-1")
    assert closed_month.given_when([event], again) == []
    assert closed_month.fold([event]).closed == event  # the first close stands


def test_a_malformed_month_is_refused_not_closed() -> None:
    with pytest.raises(PeriodInvalid):
        closed_month.given_when([], cm.CloseMonth("G1", "E1", "2026-13", CLOSE.at, "qd-1"))


def test_an_imported_close_folds_to_its_row_and_is_not_closed_again() -> None:
    imported = ClosedMonthImported(MonthClosing(MonthClosed("G1", "E1", "2026-01", CLOSE.at, "system")))
    assert closed_month.given_when([imported], CLOSE) == []


def test_every_target_and_month_event_survives_its_codec() -> None:
    target, month = target_codec(), month_codec()
    set_event = TargetSet("G1", "E1", Metric.OVERALL_SATISFACTION, 96.5, "qd-1", AT, SurveyDimension.CLEANING)
    for event in (set_event, TargetImported(KpiTarget(set_event))):
        assert target.decode(target.type_of(event), target.encode(event)) == event
    closed = MonthClosed("G1", "E1", "2026-02", CLOSE.at, "system")
    for m in (closed, ClosedMonthImported(MonthClosing(closed))):
        assert month.decode(month.type_of(m), month.encode(m)) == m
