"""Events published by reporting: corrective-action notices and their verification (R-SV-5)."""

from __future__ import annotations

from typing import Annotated, Self

from pydantic import Field, StringConstraints, model_validator

from huifang_contracts.base import IntegrationEvent
from huifang_contracts.enums import Metric, SurveyDimension
from huifang_contracts.values import Identifier, Percent, Text, UtcDatetime

Period = Annotated[str, StringConstraints(pattern=r"^[0-9]{4}(-(0[1-9]|1[0-2])|-Q[1-4]|-H[12])?$")]
"""A reporting period: `2026`, `2026-07`, `2026-Q3` or `2026-H2`."""


class CorrectiveActionRequired(IntegrationEvent):
    """A rate fell below the estate's target: a corrective-action notice (纠正措施通知单) with a deadline."""

    TYPE = "reporting.CorrectiveActionRequired"
    VERSION = 1

    action_id: Identifier
    notice_no: Identifier | None = None
    metric: Metric
    dimension: SurveyDimension | None = Field(default=None, description="For item satisfaction.")
    period: Period
    target_percent: Percent
    actual_percent: Percent
    department: Identifier | None = None
    deadline: UtcDatetime
    issued_by: Identifier | None = None

    @model_validator(mode="after")
    def _below_target(self) -> Self:
        if self.actual_percent >= self.target_percent:
            raise ValueError("a corrective action needs actual_percent below target_percent (R-SV-5)")
        if (self.metric is Metric.ITEM_SATISFACTION) != (self.dimension is not None):
            raise ValueError("dimension is set exactly when the metric is item satisfaction")
        return self


class CorrectiveActionVerified(IntegrationEvent):
    """The quality department checked the corrective action (R-SV-5)."""

    TYPE = "reporting.CorrectiveActionVerified"
    VERSION = 1

    action_id: Identifier
    verified_by: Identifier
    effective: bool
    actual_percent: Percent | None = Field(default=None, description="The rate measured at verification.")
    note: Text | None = None
