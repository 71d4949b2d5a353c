"""HTTP request and response models (never the contracts); times in UTC plus the estate's local time."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from huifang_infra.http_values import Month
from pydantic import BaseModel, ConfigDict, Field


class PolicyWrite(BaseModel):
    """A new version: a full `body`, or a `preset` name to start from (residential, commercial, full)."""

    estate_id: str | None = Field(default=None, description="None: the group's policy")
    name: str = Field(default="回访策略", min_length=1, max_length=200)
    preset: str | None = None
    body: dict[str, Any] | None = None
    expected_version: int | None = Field(default=None, ge=1, description="on update: optimistic concurrency")


class PolicyOut(BaseModel):
    policy_id: str
    version: int
    group_id: str
    estate_id: str | None
    name: str
    preset: str
    changed_by: str | None
    changed_at: datetime
    body: dict[str, Any]


class ValidateIn(BaseModel):
    body: dict[str, Any]


class ValidateOut(BaseModel):
    valid: bool
    rules: list[str]


class PreviewIn(BaseModel):
    """What would this policy (a draft `body`, or the one in force) do with this event?"""

    estate_id: str
    event_type: str
    payload: dict[str, Any]
    body: dict[str, Any] | None = None


class LocalTime(BaseModel):
    utc: datetime
    local: str = Field(description="YYYY-MM-DD HH:MM:SS in the estate's zone")


class PreviewOut(BaseModel):
    policy_id: str
    policy_version: int | None
    rule_id: str | None
    outcome: str = Field(description="scheduled | monthly_sample | skipped")
    outcome_zh: str
    reason: str | None = None
    window_start: LocalTime | None = None
    due_at: LocalTime | None = None
    deadline: LocalTime | None = None
    method: str | None = None
    caller_role: str | None = None
    caller_role_zh: str | None = None
    apology: bool = False
    timezone: str


class CallbackOut(BaseModel):
    callback_id: str
    group_id: str
    estate_id: str
    state: str
    state_zh: str
    source_type: str
    source_id: str
    kind: str
    round: int
    rule_id: str
    policy_id: str
    policy_version: int
    method: str
    caller_role: str
    sampled: bool
    sample_id: str | None
    unit_id: str | None
    window_start: LocalTime
    due_at: LocalTime
    deadline: LocalTime
    satisfied: bool | None
    attempts_used: int = Field(default=0, description="R-CB-11: tries survey reported so far")
    worker_id: str | None = Field(default=None, description="R-CB-3: who did the job")
    rating_scale: str | None = Field(default=None, description="R-SV-3: four_level or three_level")
    deadline_provisional: bool = Field(
        default=False, description="R-CB-2: counted over a year known only by statute; revised when its notice loads"
    )


class SampleOut(BaseModel):
    sample_id: str
    group_id: str
    estate_id: str
    month: str
    rule_id: str
    request_kind: str
    policy_id: str
    policy_version: int
    seed: str
    algorithm: str
    population_ids: list[str]
    chosen_ids: list[str]
    door_count: int
    excluded_ids: list[str]
    drawn_at: datetime
    requested_by: str | None


class DrawIn(BaseModel):
    estate_id: str
    month: Month
    rule_id: str | None = None


class ReproduceIn(BaseModel):
    """A `SampleDrawn` payload (or a whole envelope, whose `payload` is used)."""

    event: dict[str, Any]


class ReproductionOut(BaseModel):
    algorithm: str
    seed: str
    population_size: int
    chosen_ids: list[str]
    recorded_chosen_ids: list[str]
    matches: bool
    door_count: int


class CalendarIn(BaseModel):
    """R-CB-2: the State Council's notice for one year: its holidays and the weekend days worked (调休)."""

    model_config = ConfigDict(extra="forbid")

    holidays: list[date] = Field(min_length=1, max_length=60, description="the rest days on weekdays and weekends")
    workdays: list[date] = Field(default_factory=list, max_length=20, description="weekend days worked instead")
    source: str = Field(min_length=1, max_length=200, description="the notice, e.g. 国办发明电〔2026〕…号")


class CalendarOut(BaseModel):
    year: int
    source: str = Field(description="schedule (loaded) | library (built-in notices) | statutory (rules only)")
    source_zh: str
    provisional: bool = Field(description="deadlines counted over this year are provisional until a notice is loaded")
    holidays: list[date]
    workdays: list[date]
    notice: str | None = None
    revised_callbacks: int | None = None
