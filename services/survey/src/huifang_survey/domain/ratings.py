"""Ratings on the two scales and their one mapping to "satisfied or fair" (R-SV-3).

The callback form uses four levels (非常满意 / 满意 / 一般 / 不满意), questionnaires three (满意 / 一般满意 /
不满意); rates count everything but 不满意 on both, through `is_satisfied_or_fair` of the contracts so no
service can count differently.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from huifang_contracts.enums import Satisfaction3, Satisfaction4, SatisfactionScale, is_satisfied_or_fair
from huifang_contracts.survey import FourLevelRatings, Ratings, ThreeLevelRatings

from huifang_survey.domain.errors import InputInvalid, RatingOffScale

#: The callback form's rated dimensions (issue 8); overall is the one rates are computed on.
CALLBACK_DIMENSIONS = ("punctuality", "attitude", "quality", "overall")

SCALE_LEVELS: dict[SatisfactionScale, type[Satisfaction4] | type[Satisfaction3]] = {
    SatisfactionScale.FOUR_LEVEL: Satisfaction4,
    SatisfactionScale.THREE_LEVEL: Satisfaction3,
}


def form_scale(own: str | None, estate_default: str | None) -> SatisfactionScale:
    """R-SV-3: the scale a callback form uses — the callback's own (its policy's, from CallbackScheduled),
    else the estate's configured default, else the four levels of the callback form."""
    return SatisfactionScale(own or estate_default or SatisfactionScale.FOUR_LEVEL.value)


def allowed_values(scale: SatisfactionScale) -> list[str]:
    return [level.value for level in SCALE_LEVELS[scale]]


def rating_on(scale: SatisfactionScale, field: str, raw: object) -> Satisfaction4 | Satisfaction3:
    """One rating read on the scale, accepting the value or its Chinese label; anything else is refused."""
    levels = SCALE_LEVELS[scale]
    for level in levels:
        if raw == level.value or raw == level.label_zh:
            return level
    raise RatingOffScale(field, raw, allowed_values(scale))


def callback_ratings(scale: SatisfactionScale, raw: Mapping[str, Any]) -> Ratings:
    """The callback's ratings per dimension on its scale; overall is required, the others optional."""
    unknown = sorted(set(raw) - set(CALLBACK_DIMENSIONS))
    if unknown:
        raise InputInvalid(f"ratings.{unknown[0]}", f"not a rated dimension ({', '.join(CALLBACK_DIMENSIONS)})")
    if raw.get("overall") is None:
        raise InputInvalid("ratings.overall", "the overall rating is required (R-SV-4)")
    values = {
        name: rating_on(scale, f"ratings.{name}", raw[name])
        for name in CALLBACK_DIMENSIONS
        if raw.get(name) is not None
    }
    if scale is SatisfactionScale.FOUR_LEVEL:
        return FourLevelRatings(scale=scale, **values)
    return ThreeLevelRatings(scale=scale, **values)


def satisfied_or_fair(ratings: Ratings) -> bool:
    """R-SV-3: what the satisfaction rates count, from the overall rating."""
    return is_satisfied_or_fair(ratings.overall)
