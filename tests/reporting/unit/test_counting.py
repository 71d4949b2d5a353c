"""The counting and month rules of the roll-up as plain functions (issue 17 §7; R-RP-1, R-RP-2, R-SV-4).

The same rules run in SQL at commit; tests/reporting/integration/test_rules_agree.py proves both agree.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from huifang_reporting.domain.counting import (
    CallbackFact,
    CampaignFact,
    ComplaintFact,
    callback_counts,
    campaign_counts,
    complaint_counts,
    questionnaire_counts,
)
from huifang_reporting.domain.kpis import Counts
from huifang_reporting.domain.months import (
    callback_counted_at,
    complaint_counted_at,
    fact_month,
    quarters_of_year,
    questionnaire_counted_at,
)

pytestmark = pytest.mark.unit


def test_r_rp_2_coverage_counts_required_callbacks_and_those_of_them_done() -> None:
    counts = callback_counts([CallbackFact(due=True, completed=True, late=False), CallbackFact(due=True)])
    assert (counts.callbacks_required, counts.callbacks_required_done, counts.callbacks_completed) == (2, 1, 1)


def test_r_rp_1_satisfaction_counts_completed_callbacks_rated_satisfied_or_fair_only() -> None:
    facts = [
        CallbackFact(completed=True, satisfied_or_fair=True),
        CallbackFact(completed=True, satisfied_or_fair=False),
        CallbackFact(completed=True),  # no rating reported: made, not satisfied
        CallbackFact(completed=False, satisfied_or_fair=True),  # a rating without the completion: not counted
    ]
    counts = callback_counts(facts)
    assert (counts.callbacks_completed, counts.callbacks_satisfied) == (3, 1)


def test_r_rp_2_on_time_needs_a_completion_known_not_late() -> None:
    facts = [CallbackFact(completed=True, late=False), CallbackFact(completed=True, late=True)]
    facts += [CallbackFact(completed=True, late=None), CallbackFact(completed=False, late=False)]
    assert callback_counts(facts).callbacks_on_time == 1


def test_r_rp_2_a_completion_wins_over_a_failure_and_overdue_stays_counted() -> None:
    counts = callback_counts([CallbackFact(completed=True, failed=True, overdue=True), CallbackFact(failed=True)])
    assert (counts.callbacks_completed, counts.callbacks_failed, counts.callbacks_overdue) == (1, 1, 1)


def test_r_rp_1_complaint_handling_satisfaction_counts_completed_complaint_callbacks() -> None:
    facts = [CallbackFact("complaint", completed=True, satisfied_or_fair=True), CallbackFact("complaint")]
    facts += [CallbackFact("repair", completed=True, satisfied_or_fair=True)]
    counts = callback_counts(facts)
    assert (counts.complaint_callbacks, counts.complaint_callbacks_satisfied) == (1, 1)


def test_complaints_count_once_received_and_by_their_grade_and_validity() -> None:
    counts = complaint_counts([ComplaintFact("major", "valid"), ComplaintFact("general"), ComplaintFact()])
    assert counts == Counts(complaints_received=3, complaints_general=1, complaints_major=1, complaints_valid=1)


def test_r_sv_4_a_campaign_returns_its_own_final_count_once_closed_and_the_returns_seen_until_then() -> None:
    open_campaign = CampaignFact(issued=10, closed=False, returned_at_close=0, questionnaires_seen=3)
    closed = CampaignFact(issued=5, closed=True, returned_at_close=5, questionnaires_seen=4)
    assert campaign_counts([open_campaign, closed]) == Counts(campaign_issued=15, campaign_returned=8)
    assert questionnaire_counts([True, False, None]) == Counts(questionnaires_returned=3, overall_satisfied=1)


def test_a_fact_counts_in_its_deciding_instants_month_in_its_estates_zone() -> None:
    jan, feb, mar = (datetime(2026, m, 20, tzinfo=UTC) for m in (1, 2, 3))
    seen = datetime(2026, 4, 20, tzinfo=UTC)
    assert callback_counted_at(jan, feb, None, None, None, seen) == jan  # owed in January, done in February
    assert callback_counted_at(None, None, feb, mar, None, seen) == feb
    assert callback_counted_at(None, None, None, None, None, seen) == seen
    assert complaint_counted_at(None, mar) == mar and complaint_counted_at(None, None) is None
    assert questionnaire_counted_at(None, mar) == mar and questionnaire_counted_at(jan, mar) == jan
    late_evening = datetime(2026, 1, 31, 16, 30, tzinfo=UTC)
    assert (fact_month(late_evening, None), fact_month(late_evening, "Europe/London")) == ("2026-02", "2026-01")
    assert fact_month(None, "Asia/Shanghai") is None
    assert quarters_of_year("2026") == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
