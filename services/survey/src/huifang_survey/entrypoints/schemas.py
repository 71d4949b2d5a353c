"""HTTP request and response models (never the contracts): what callers send and get back."""

from __future__ import annotations

from huifang_contracts.enums import (
    AttemptResult,
    CallbackMethod,
    CampaignKind,
    Relation,
    SatisfactionScale,
    SurveyDimension,
)
from huifang_contracts.values import Identifier
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class IssueIn(Strict):
    """R-CB-9: a new issue the requester raised; it becomes a complaint at intake."""

    description: str = Field(min_length=1, max_length=4000)
    category: str | None = Field(default=None, max_length=200)
    subcategory: str | None = Field(default=None, max_length=200)


class ContactIn(Strict):
    """One try to reach the requester; a reached one carries the ratings (scale of the callback)."""

    submission_id: str | None = Field(default=None, max_length=128, description="or the Idempotency-Key header")
    result: AttemptResult
    method: CallbackMethod
    contacted_at: AwareDatetime | None = Field(default=None, description="when the call or visit took place; now")
    answered_by: str | None = Field(default=None, max_length=200)
    relation: Relation | None = None
    duration_seconds: int | None = Field(default=None, ge=0)
    ratings: dict[str, str] | None = Field(default=None, description="punctuality, attitude, quality, overall")
    comments: str | None = Field(default=None, max_length=4000)
    suggestions: str | None = Field(default=None, max_length=4000)
    note: str | None = Field(default=None, max_length=4000)
    new_issues: list[IssueIn] = Field(default_factory=list, max_length=20)


class ScaleIn(Strict):
    """The rating scale an estate's callback forms use (a policy parameter, R-SV-3)."""

    scale: SatisfactionScale


class CampaignIn(Strict):
    """R-SV-1: a questionnaire campaign over some estates, one campaign per estate."""

    campaign_id: str | None = Field(default=None, max_length=100, description="generated when absent")
    estate_ids: list[Identifier] = Field(min_length=1, max_length=200)
    title: str = Field(min_length=1, max_length=200)
    kind: CampaignKind
    channels: list[CallbackMethod] = Field(min_length=1)
    dimensions: list[SurveyDimension] | None = Field(default=None, description="R-SV-2; all fourteen when absent")
    opens_at: AwareDatetime
    closes_at: AwareDatetime | None = None
    issued_count: int = Field(default=0, ge=0, description="paper ballots handed out at opening")


class BallotsIn(Strict):
    """Ballots issued to households: links for the online channel, and paper ones counted."""

    unit_ids: list[str] = Field(default_factory=list, max_length=5000, description="one online link per household")
    paper_count: int = Field(default=0, ge=0)


class QuestionnaireIn(Strict):
    submission_id: str | None = Field(default=None, max_length=128)
    unit_id: str | None = Field(default=None, max_length=128)
    channel: CallbackMethod = CallbackMethod.WRITTEN
    answers: dict[str, str] = Field(min_length=1, description="dimension → 满意 / 一般满意 / 不满意")
    answer_comments: dict[str, str] = Field(default_factory=dict)
    comments: str | None = Field(default=None, max_length=4000)
    returned_at: AwareDatetime | None = None


class CallbackBallotIn(Strict):
    unit_id: str | None = None
