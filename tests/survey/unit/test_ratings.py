"""R-SV-3: both scales, each mapped to "satisfied or fair"; ratings off the scale are refused by name."""

from __future__ import annotations

import pytest
from huifang_contracts.enums import Satisfaction3, Satisfaction4, SatisfactionScale
from huifang_survey.domain.errors import InputInvalid, RatingOffScale
from huifang_survey.domain.ratings import callback_ratings, form_scale, rating_on, satisfied_or_fair

pytestmark = pytest.mark.unit

FOUR, THREE = SatisfactionScale.FOUR_LEVEL, SatisfactionScale.THREE_LEVEL


@pytest.mark.parametrize(
    ("overall", "counted"),
    [("very_satisfied", True), ("satisfied", True), ("fair", True), ("dissatisfied", False)],
)
def test_four_level_scale_counts_all_but_dissatisfied(overall: str, counted: bool) -> None:
    # R-SV-3: 非常满意 / 满意 / 一般 count as satisfied-or-fair, 不满意 does not
    assert satisfied_or_fair(callback_ratings(FOUR, {"overall": overall})) is counted


@pytest.mark.parametrize(
    ("overall", "counted"), [("satisfied", True), ("fairly_satisfied", True), ("dissatisfied", False)]
)
def test_three_level_scale_counts_all_but_dissatisfied(overall: str, counted: bool) -> None:
    # R-SV-3 / R-SV-4: 满意 + 一般满意 are counted
    assert satisfied_or_fair(callback_ratings(THREE, {"overall": overall})) is counted


def test_chinese_labels_are_read_on_their_scale() -> None:
    assert rating_on(FOUR, "ratings.overall", "一般") is Satisfaction4.FAIR
    assert rating_on(THREE, "answers.overall", "一般满意") is Satisfaction3.FAIRLY_SATISFIED


def test_every_dimension_is_kept_on_the_form() -> None:
    ratings = callback_ratings(
        FOUR, {"punctuality": "satisfied", "attitude": "very_satisfied", "quality": "dissatisfied", "overall": "fair"}
    )
    assert ratings.model_dump(mode="json") == {
        "scale": "four_level",
        "punctuality": "satisfied",
        "attitude": "very_satisfied",
        "quality": "dissatisfied",
        "overall": "fair",
    }


def test_a_four_level_value_on_a_three_level_callback_is_refused_naming_the_field() -> None:
    with pytest.raises(RatingOffScale) as refused:
        callback_ratings(THREE, {"attitude": "very_satisfied", "overall": "satisfied"})
    assert refused.value.field == "ratings.attitude"
    assert refused.value.allowed == ["satisfied", "fairly_satisfied", "dissatisfied"]


def test_fairly_satisfied_is_not_a_four_level_value() -> None:
    with pytest.raises(RatingOffScale) as refused:
        callback_ratings(FOUR, {"overall": "fairly_satisfied"})
    assert refused.value.field == "ratings.overall"


def test_overall_is_required_and_unknown_dimensions_refused() -> None:
    with pytest.raises(InputInvalid) as missing:
        callback_ratings(FOUR, {"attitude": "satisfied"})
    assert missing.value.field == "ratings.overall"
    with pytest.raises(InputInvalid) as unknown:
        callback_ratings(FOUR, {"overall": "satisfied", "price": "satisfied"})
    assert unknown.value.field == "ratings.price"


@pytest.mark.parametrize(
    ("own", "estate_default", "expected"),
    [
        ("three_level", "four_level", SatisfactionScale.THREE_LEVEL),  # the callback's own scale wins
        ("four_level", "three_level", SatisfactionScale.FOUR_LEVEL),
        (None, "three_level", SatisfactionScale.THREE_LEVEL),  # else the estate's configured default
        (None, None, SatisfactionScale.FOUR_LEVEL),  # else the callback form's four levels
    ],
)
def test_the_form_scale_is_the_callbacks_own_else_the_estates(
    own: str | None, estate_default: str | None, expected: SatisfactionScale
) -> None:
    assert form_scale(own, estate_default) is expected
