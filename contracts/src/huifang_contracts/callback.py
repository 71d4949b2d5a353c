"""Events published by callback: policies, the callback timer, monthly samples, the reopen loop."""

from __future__ import annotations

from typing import Self

from pydantic import Field, model_validator

from huifang_contracts.base import IntegrationEvent, PayloadPart
from huifang_contracts.enums import (
    CallbackMethod,
    ComplaintGrade,
    ComplaintValidity,
    RequestKind,
    SatisfactionScale,
    StaffRole,
)
from huifang_contracts.values import Identifier, Name, Percent, Phone, Round, Text, UtcDatetime, YearMonth


class PolicyRule(PayloadPart):
    """One rule of a policy, summarised so reports can count required callbacks (R-CB-1, R-CB-4, R-CB-5)."""

    rule_id: Identifier
    request_kind: RequestKind
    grade: ComplaintGrade | None = None
    validity: ComplaintValidity | None = None
    required_percent: Percent = Field(description="Share of sources that must get a callback.")
    sampled: bool = Field(default=False, description="Drawn in the monthly sample instead of per source.")
    method: CallbackMethod
    caller_role: StaffRole
    timing: Text = Field(description="The due window in words, for reports.")


class PolicyChanged(IntegrationEvent):
    """An estate's callback policy took a new version; denominators follow the version in force."""

    TYPE = "callback.PolicyChanged"
    VERSION = 1

    policy_id: Identifier
    policy_version: int = Field(ge=1)
    preset: Identifier
    effective_from: UtcDatetime
    rules: list[PolicyRule] = Field(min_length=1)
    changed_by: Identifier | None = None


class CallbackScheduled(IntegrationEvent):
    """A callback is owed: what triggered it, its window, and what the caller must do."""

    TYPE = "callback.CallbackScheduled"
    VERSION = 1

    callback_id: Identifier
    source_type: str = Field(description='The triggering event type, e.g. "intake.ComplaintResolved".')
    source_id: Identifier = Field(description="The order, complaint, renovation or request id.")
    kind: RequestKind
    window_start: UtcDatetime = Field(description="Not before (e.g. 3 days after closure, R-CB-2).")
    due_at: UtcDatetime = Field(description="When it enters a queue (CallbackDue).")
    deadline: UtcDatetime = Field(description="Done after this counts as late (CallbackOverdue).")
    method: CallbackMethod
    caller_role: StaffRole = Field(description="R-CB-3: who must call.")
    apology: bool = Field(default=False, description="R-CB-3: major complaints get an apology visit.")
    max_attempts: int = Field(ge=1, description="R-CB-11")
    retry_spacing_minutes: int = Field(ge=0, description="R-CB-11")
    rule_id: Identifier
    policy_id: Identifier
    policy_version: int = Field(ge=1)
    round: Round = 1
    sampled: bool = False
    sample_id: Identifier | None = None
    department: Identifier | None = Field(default=None, description="Whose work is being rated.")
    grade: ComplaintGrade | None = None
    category: Name | None = None
    subcategory: Name | None = None
    unit_id: Identifier | None = None
    requester_name: Name | None = None
    requester_phone: Phone | None = None
    worker_id: Identifier | None = Field(
        default=None, description="R-CB-3: who did the job; dispatch does not let them call back their own work."
    )
    rating_scale: SatisfactionScale | None = Field(
        default=None, description="R-SV-3: the scale the policy names for this callback's form."
    )

    @model_validator(mode="after")
    def _window_in_order(self) -> Self:
        if not self.window_start <= self.due_at <= self.deadline:
            raise ValueError("expected window_start <= due_at <= deadline")
        if self.sample_id is not None and not self.sampled:
            raise ValueError("sample_id is only set on sampled callbacks")
        return self


class CallbackDue(IntegrationEvent):
    """The window opened: time to put the callback in someone's queue."""

    TYPE = "callback.CallbackDue"
    VERSION = 1

    callback_id: Identifier
    due_at: UtcDatetime
    deadline: UtcDatetime
    method: CallbackMethod
    caller_role: StaffRole


class CallbackOverdue(IntegrationEvent):
    """The deadline passed without a completed callback: escalate, and count it late (R-RP-2)."""

    TYPE = "callback.CallbackOverdue"
    VERSION = 1

    callback_id: Identifier
    deadline: UtcDatetime
    attempts_made: int = Field(ge=0)
    escalate_to_role: StaffRole | None = None


class CallbackDeadlineRevised(IntegrationEvent):
    """R-CB-2: a callback's window counted again — its year's working-day notice was loaded where only the
    statutory days were known — so queues and reports use the deadline that now holds."""

    TYPE = "callback.CallbackDeadlineRevised"
    VERSION = 1

    callback_id: Identifier
    window_start: UtcDatetime
    due_at: UtcDatetime
    deadline: UtcDatetime
    provisional: bool = Field(description="Still counted over a year known only by its statutory days.")
    reason: str = Field(max_length=500)


class SampleDrawn(IntegrationEvent):
    """R-CB-4, R-CB-13: a month's sample, with everything needed to reproduce it."""

    TYPE = "callback.SampleDrawn"
    VERSION = 1

    sample_id: Identifier
    month: YearMonth
    request_kind: RequestKind
    population_ids: list[Identifier] = Field(description="Every eligible source id, in drawing order.")
    seed: str = Field(min_length=1)
    algorithm: Identifier = Field(description="Names the drawing procedure and its version.")
    chosen_ids: list[Identifier]
    door_count: int = Field(ge=0, description="R-CB-4: ceil(k/2) under the tianxiacheng preset.")
    rule_id: Identifier
    policy_id: Identifier
    policy_version: int = Field(ge=1)

    @model_validator(mode="after")
    def _chosen_from_population(self) -> Self:
        # R-CB-13: an auditor must be able to find every chosen id in the recorded population.
        if len(set(self.population_ids)) != len(self.population_ids):
            raise ValueError("population_ids has duplicates")
        if len(set(self.chosen_ids)) != len(self.chosen_ids):
            raise ValueError("chosen_ids has duplicates")
        if not set(self.chosen_ids) <= set(self.population_ids):
            raise ValueError("chosen_ids must be drawn from population_ids")
        if self.door_count > len(self.chosen_ids):
            raise ValueError("door_count exceeds the sample size")
        return self


class ComplaintReopened(IntegrationEvent):
    """R-CB-10: dissatisfied → the complaint goes back in progress, here and at the source (ERP)."""

    TYPE = "callback.ComplaintReopened"
    VERSION = 1

    complaint_id: Identifier
    erp_id: Identifier | None = None
    callback_id: Identifier
    round: int = Field(ge=2, description="The round that starts now: the resolved round + 1.")
    reason: Text | None = Field(default=None, description="The requester's comments.")
    department: Identifier | None = None
    escalate_to_role: StaffRole | None = Field(default=None, description="Set when the policy cap is hit.")
