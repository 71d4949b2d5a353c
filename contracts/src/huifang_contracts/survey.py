"""Events published by survey: callback attempts and outcomes, and questionnaire campaigns."""

from __future__ import annotations

from typing import Annotated, Literal, Self

from pydantic import Field, model_validator

from huifang_contracts.base import IntegrationEvent, PayloadPart
from huifang_contracts.enums import (
    AttemptResult,
    CallbackMethod,
    CampaignKind,
    FailureReason,
    Relation,
    Satisfaction3,
    Satisfaction4,
    SatisfactionScale,
    StaffRole,
    SurveyDimension,
    is_satisfied_or_fair,
)
from huifang_contracts.values import Identifier, Name, Phone, Text, UtcDatetime


class CallbackAttempted(IntegrationEvent):
    """One try to reach the requester; the task stays open until completed or failed (R-CB-11)."""

    TYPE = "survey.CallbackAttempted"
    VERSION = 1

    callback_id: Identifier
    attempt_no: int = Field(ge=1)
    result: AttemptResult
    method: CallbackMethod
    caller_id: Identifier
    attempted_at: UtcDatetime
    next_attempt_after: UtcDatetime | None = None
    note: Text | None = None


class FourLevelRatings(PayloadPart):
    """Ratings on the callback form's scale (very satisfied … dissatisfied)."""

    scale: Literal[SatisfactionScale.FOUR_LEVEL]
    punctuality: Satisfaction4 | None = None
    attitude: Satisfaction4 | None = None
    quality: Satisfaction4 | None = None
    overall: Satisfaction4


class ThreeLevelRatings(PayloadPart):
    """Ratings on the three-level scale (satisfied / fairly satisfied / dissatisfied)."""

    scale: Literal[SatisfactionScale.THREE_LEVEL]
    punctuality: Satisfaction3 | None = None
    attitude: Satisfaction3 | None = None
    quality: Satisfaction3 | None = None
    overall: Satisfaction3


Ratings = Annotated[FourLevelRatings | ThreeLevelRatings, Field(discriminator="scale")]


class CallbackCompleted(IntegrationEvent):
    """The requester answered: closes the timer; dissatisfied starts the reopen loop (R-CB-10)."""

    TYPE = "survey.CallbackCompleted"
    VERSION = 1

    callback_id: Identifier
    caller_id: Identifier
    method: CallbackMethod
    completed_at: UtcDatetime
    answered_by: Name | None = None
    relation: Relation | None = None
    ratings: Ratings
    satisfied_or_fair: bool = Field(description="R-SV-3, from the overall rating; what rates count.")
    comments: Text | None = None
    late: bool = Field(description="Completed after the deadline (R-RP-2 timeliness).")
    attempts_used: int = Field(ge=1)
    record_late: bool = Field(
        default=False,
        description="R-CB-12: the record was written after the day following the call (estate-local dates).",
    )
    suggestions: Text | None = Field(default=None, description="The requester's suggestions, apart from comments.")

    @model_validator(mode="after")
    def _flag_matches_overall(self) -> Self:
        # R-SV-3: one mapping for every consumer; a producer cannot send a flag that contradicts it.
        if self.satisfied_or_fair != is_satisfied_or_fair(self.ratings.overall):
            raise ValueError("satisfied_or_fair contradicts the overall rating (R-SV-3)")
        return self


class CallbackFailed(IntegrationEvent):
    """No answer after the allowed attempts, or a refusal: counts against the success rate (R-CB-11)."""

    TYPE = "survey.CallbackFailed"
    VERSION = 1

    callback_id: Identifier
    attempts_used: int = Field(ge=1)
    last_result: AttemptResult
    reason: FailureReason


class ComplaintRaisedDuringCallback(IntegrationEvent):
    """R-CB-9: a new issue raised during a callback; intake records it as a complaint (channel callback)."""

    TYPE = "survey.ComplaintRaisedDuringCallback"
    VERSION = 1

    issue_id: Identifier = Field(description="Survey's id for the issue; intake's idempotency key.")
    callback_id: Identifier
    description: Text
    category: Name | None = None
    subcategory: Name | None = None
    unit_id: Identifier | None = None
    requester_name: Name | None = None
    requester_phone: Phone | None = None
    recorded_by: Identifier
    escalate_to_role: StaffRole | None = Field(default=None, description="The supervisor it goes to.")


class SurveyCampaignOpened(IntegrationEvent):
    """A questionnaire campaign started (R-SV-1); questionnaires use the three-level scale (R-SV-3)."""

    TYPE = "survey.SurveyCampaignOpened"
    VERSION = 1

    campaign_id: Identifier
    title: Name
    kind: CampaignKind
    method: CallbackMethod
    dimensions: list[SurveyDimension] = Field(min_length=1)
    issued_count: int = Field(ge=0)
    opens_at: UtcDatetime
    closes_at: UtcDatetime | None = None
    channels: list[CallbackMethod] = Field(
        default_factory=list, description="Every channel the questionnaire goes out by; `method` is the first."
    )

    @model_validator(mode="after")
    def _dimensions_usable(self) -> Self:
        if len(set(self.dimensions)) != len(self.dimensions):
            raise ValueError("dimensions has duplicates")
        # R-SV-4: overall satisfaction is computed on the overall item, so every campaign asks it.
        if SurveyDimension.OVERALL not in self.dimensions:
            raise ValueError("dimensions must include overall (R-SV-4)")
        return self


class Answer(PayloadPart):
    dimension: SurveyDimension
    rating: Satisfaction3
    comment: Text | None = None


class QuestionnaireReturned(IntegrationEvent):
    """One household's answers; item satisfaction counts satisfied + fairly satisfied (R-SV-4)."""

    TYPE = "survey.QuestionnaireReturned"
    VERSION = 1

    campaign_id: Identifier
    questionnaire_id: Identifier
    unit_id: Identifier | None = None
    answers: list[Answer] = Field(min_length=1)
    comments: Text | None = None

    @model_validator(mode="after")
    def _one_answer_per_dimension(self) -> Self:
        dimensions = [answer.dimension for answer in self.answers]
        if len(set(dimensions)) != len(dimensions):
            raise ValueError("more than one answer for a dimension")
        return self


class SurveyCampaignClosed(IntegrationEvent):
    """A campaign ended; return rate = returned / issued (R-SV-4)."""

    TYPE = "survey.SurveyCampaignClosed"
    VERSION = 1

    campaign_id: Identifier
    issued_count: int = Field(ge=0)
    returned_count: int = Field(ge=0)

    @model_validator(mode="after")
    def _returned_within_issued(self) -> Self:
        if self.returned_count > self.issued_count:
            raise ValueError("returned_count exceeds issued_count")
        return self
