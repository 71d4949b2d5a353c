"""A callback policy as data (issue 6 §1): rules a property group configures, checked before use.

A rule says which events it reacts to (trigger), how many of them get a callback (rate), when
(window), how and by whom (channel, caller), how often to retry (R-CB-11), and how dissatisfaction
and lateness escalate (R-CB-10). For one event the first matching rule in order decides: put the
narrow rules (urgent repairs, special events) before the broad ones.
"""

from __future__ import annotations

from datetime import date, time
from enum import StrEnum
from typing import Literal, Self, get_args

from huifang_contracts.enums import (
    CallbackMethod,
    ComplaintGrade,
    ComplaintValidity,
    RequestKind,
    SatisfactionScale,
    StaffRole,
)
from huifang_contracts.intake import (
    ComplaintRegistered,
    ComplaintResolved,
    OrderClosed,
    RenovationCompleted,
    ServiceRequestClosed,
)
from pydantic import BaseModel, ConfigDict, Field, model_validator

TRIGGER_EVENTS = (
    OrderClosed.TYPE,
    ComplaintRegistered.TYPE,
    ComplaintResolved.TYPE,
    RenovationCompleted.TYPE,
    ServiceRequestClosed.TYPE,
)
TriggerEvent = Literal[
    "intake.OrderClosed",
    "intake.ComplaintRegistered",
    "intake.ComplaintResolved",
    "intake.RenovationCompleted",
    "intake.ServiceRequestClosed",
]
# The Literal spells the types out (a type cannot be computed); they must be the catalogue's own.
assert set(TRIGGER_EVENTS) == set(get_args(TriggerEvent))


class _Part(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class TimeUnit(StrEnum):
    HOURS = "hours"
    DAYS = "days"
    WORKING_DAYS = "working_days"  # R-CB-2: State Council calendar with 调休 and estate closures


class Span(_Part):
    amount: int = Field(ge=0, le=3660)
    unit: TimeUnit


class Trigger(_Part):
    """Which events a rule reacts to; an empty list means "any"."""

    event_type: TriggerEvent
    kinds: list[RequestKind] = Field(default_factory=list)
    categories: list[str] = Field(default_factory=list)
    grades: list[ComplaintGrade] = Field(default_factory=list)
    validities: list[ComplaintValidity] = Field(default_factory=list)
    urgent: bool | None = Field(default=None, description="R-CB-7: emergency or major order; None: either.")
    special_event: bool | None = Field(default=None, description="R-CB-8: serious event; None: either.")


class Tier(_Part):
    """One row of a sample-size table (R-CB-4): applies while n <= up_to (None: any n)."""

    up_to: int | None = Field(default=None, ge=0)
    take: Literal["at_most", "percent_ceil", "fixed"]
    value: int = Field(ge=0)


class Rate(_Part):
    """R-CB-1, R-CB-4, R-CB-5: all, a reproducible random percentage, or a tiered monthly sample."""

    mode: Literal["all", "percent", "monthly_sample"]
    percent: int | None = Field(default=None, ge=1, le=100)
    tiers: list[Tier] = Field(default_factory=list)


class Window(_Part):
    """When a callback is owed. `event`: spans from the triggering event; `month`: R-CB-4's calendar."""

    anchor: Literal["event", "month"] = "event"
    start: Span = Span(amount=0, unit=TimeUnit.HOURS)
    deadline: Span | None = None
    draw_day: int = Field(default=30, ge=1, le=31, description="month anchor: the last day in short months")
    draw_time: time = time(9, 0)
    due_by_day: int = Field(default=5, ge=1, le=28, description="month anchor: day of the next month")


class Rule(_Part):
    rule_id: str = Field(min_length=1, max_length=64, pattern=r"^[a-z0-9][a-z0-9._-]*$")
    trigger: Trigger
    rate: Rate
    window: Window
    method: CallbackMethod = CallbackMethod.PHONE
    door_share_percent: int = Field(default=0, ge=0, le=100, description="R-CB-4: door visits = ceil(k·share)")
    caller_role: StaffRole = StaffRole.SERVICE_CENTER_STAFF
    caller_by_grade: dict[ComplaintGrade, StaffRole] = Field(default_factory=dict, description="R-CB-3")
    method_by_grade: dict[ComplaintGrade, CallbackMethod] = Field(default_factory=dict, description="R-CB-3")
    apology_grades: list[ComplaintGrade] = Field(default_factory=list, description="R-CB-3")
    max_attempts: int = Field(default=3, ge=1, le=20, description="R-CB-11")
    retry_spacing_minutes: int = Field(default=120, ge=0, le=10080, description="R-CB-11")
    reopen_cap: int = Field(default=3, ge=1, le=20, description="R-CB-10: rounds before escalation")
    escalation: list[StaffRole] = Field(default_factory=list, description="overdue and reopen-cap path")
    mandatory: bool = Field(default=False, description="exempt from contact fatigue (complaints, urgent)")
    rating_scale: SatisfactionScale | None = Field(default=None, description="R-SV-3; None: the policy's scale")

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.rate.mode == "percent" and self.rate.percent is None:
            raise ValueError("rate.percent is required when rate.mode is percent")
        if self.rate.mode == "monthly_sample":
            if not self.rate.tiers:
                raise ValueError("rate.tiers is required when rate.mode is monthly_sample")
            if self.window.anchor != "month":
                raise ValueError("window.anchor must be month for a monthly sample")
            if self.trigger.event_type != OrderClosed.TYPE:
                raise ValueError("trigger.event_type must be intake.OrderClosed for a monthly sample")
        if self.rate.mode != "monthly_sample" and self.window.anchor == "month":
            raise ValueError("window.anchor month is only for monthly samples")
        if self.window.anchor == "event" and self.window.deadline is None:
            raise ValueError("window.deadline is required for an event-anchored window")
        if self.rate.tiers and self.rate.tiers[-1].up_to is not None:
            raise ValueError("rate.tiers: the last tier must have no up_to (it covers every larger n)")
        bounds = [t.up_to for t in self.rate.tiers[:-1]]
        known = [b for b in bounds if b is not None]
        if len(known) != len(bounds) or known != sorted(set(known)):
            raise ValueError("rate.tiers: up_to must increase, only the last tier may omit it")
        return self


class Fatigue(_Part):
    """Issue 6 §7: a household is not sampled more than `max_contacts` times in `days` days."""

    max_contacts: int = Field(ge=1, le=100)
    days: int = Field(ge=1, le=366)


class PolicyBody(_Part):
    """What a group or estate configures; stored as JSON, one row per version."""

    preset: str = Field(default="custom", min_length=1, max_length=64)
    rules: list[Rule] = Field(min_length=1)
    fatigue: Fatigue | None = None
    closures: list[date] = Field(default_factory=list, description="R-CB-2: the estate's extra closed days")
    # R-SV-3: callback forms rate on four levels unless the group's procedure uses the three of seed 003.
    rating_scale: SatisfactionScale = Field(default=SatisfactionScale.FOUR_LEVEL, description="R-SV-3")

    @model_validator(mode="after")
    def _unique_rule_ids(self) -> Self:
        seen: set[str] = set()
        for rule in self.rules:
            if rule.rule_id in seen:
                raise ValueError(f"rule_id {rule.rule_id} appears twice")
            seen.add(rule.rule_id)
        return self

    def rule(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.rule_id == rule_id), None)

    def rating_scale_for(self, rule: Rule) -> SatisfactionScale:
        """R-SV-3: the rule's own scale, else the policy's; carried on every `CallbackScheduled`."""
        return rule.rating_scale or self.rating_scale


class PolicyInForce(_Part):
    """A body with its identity: every scheduled callback records `policy_id` and `version`."""

    policy_id: str
    version: int = Field(ge=1)
    body: PolicyBody
