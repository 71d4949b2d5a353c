"""R-SV-1, R-SV-2, R-SV-4: campaigns, their dimensions, and the issued / returned counts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from huifang_contracts.enums import CallbackMethod, CampaignKind, Satisfaction3, SurveyDimension
from huifang_survey.domain.campaign import CLOSED, define_campaign
from huifang_survey.domain.errors import Conflict, InputInvalid, RatingOffScale

pytestmark = pytest.mark.unit

OPENS = datetime(2026, 7, 1, tzinfo=UTC)
D = SurveyDimension


def campaign(dimensions: list[SurveyDimension] | None = None):  # type: ignore[no-untyped-def]
    return define_campaign(
        "cp-1", "2026年7月全面意见征询", CampaignKind.FULL, [CallbackMethod.WRITTEN], dimensions, OPENS,
        OPENS + timedelta(days=31),
    )  # fmt: skip


def test_all_fourteen_dimensions_by_default() -> None:
    assert len(campaign().dimensions) == 14  # R-SV-2


def test_a_subset_must_include_overall() -> None:
    assert campaign([D.CLEANING, D.OVERALL]).dimensions == (D.CLEANING, D.OVERALL)
    with pytest.raises(InputInvalid) as refused:
        campaign([D.CLEANING, D.SECURITY])
    assert refused.value.field == "dimensions"


def test_channels_are_written_online_or_door() -> None:
    with pytest.raises(InputInvalid) as refused:
        define_campaign("c", "t", CampaignKind.FULL, [CallbackMethod.PHONE], None, OPENS, None)
    assert refused.value.field == "channels"


def test_counts_issued_and_returned() -> None:
    c = campaign([D.CLEANING, D.OVERALL])
    c.issue(3)
    c.issue(2)
    answers = c.accept({"cleaning": "一般满意", "overall": "satisfied"}, {"cleaning": "楼道需加强"}, OPENS)
    assert [(a.dimension, a.rating, a.comment) for a in answers] == [
        (D.CLEANING, Satisfaction3.FAIRLY_SATISFIED, "楼道需加强"),
        (D.OVERALL, Satisfaction3.SATISFIED, None),
    ]
    c.accept({"overall": "dissatisfied"}, {}, OPENS + timedelta(days=1))
    assert (c.issued_count, c.returned_count) == (5, 2)  # return rate 2/5 (R-SV-4)


def test_returned_never_exceeds_issued() -> None:
    c = campaign()
    c.issue(1)
    c.accept({"overall": "satisfied"}, {}, OPENS)
    with pytest.raises(Conflict):
        c.accept({"overall": "satisfied"}, {}, OPENS)
    assert c.returned_count == 1


def test_answers_are_on_the_three_level_scale_and_the_campaign_dimensions() -> None:
    c = campaign([D.CLEANING, D.OVERALL])
    c.issue(5)
    with pytest.raises(RatingOffScale) as off:
        c.accept({"overall": "very_satisfied"}, {}, OPENS)  # a four-level value (R-SV-3)
    assert off.value.field == "answers.overall"
    with pytest.raises(InputInvalid) as outside:
        c.accept({"parking": "satisfied", "overall": "satisfied"}, {}, OPENS)
    assert outside.value.field == "answers.parking"
    assert c.returned_count == 0


def test_closed_or_out_of_period_refuses_returns() -> None:
    c = campaign()
    c.issue(2)
    with pytest.raises(Conflict):
        c.accept({"overall": "satisfied"}, {}, OPENS + timedelta(days=40))
    c.close()
    assert c.status == CLOSED
    with pytest.raises(Conflict):
        c.accept({"overall": "satisfied"}, {}, OPENS)
