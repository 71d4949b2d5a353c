"""The callback service's own events: what was decided about each callback, in its stream `callback-<id>`.

These are the service's facts, not its public language: `service_layer/outgoing.py` maps the ones other
services need to the contracts' events (`CallbackScheduled`, `CallbackDue`, …). Each decision is one of
these, including those that change no row of the callbacks table (a household skipped for fatigue).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import ClassVar
from uuid import UUID

from huifang_contracts.enums import (
    CallbackMethod,
    ComplaintGrade,
    RequestKind,
    SatisfactionScale,
    StaffRole,
)

from huifang_callback.domain.policy import PolicyBody


@dataclass(frozen=True)
class CallbackRecord:
    """Everything a scheduled callback carries: enough to answer every field the API and events show."""

    callback_id: str
    group_id: str
    estate_id: str
    source_type: str
    source_id: str
    kind: RequestKind
    round: int
    rule_id: str
    policy_id: str
    policy_version: int
    window_start: datetime
    due_at: datetime
    deadline: datetime
    method: CallbackMethod
    caller_role: StaffRole
    max_attempts: int
    retry_spacing_minutes: int
    reopen_cap: int
    mandatory: bool
    rating_scale: SatisfactionScale
    escalation: tuple[StaffRole, ...] = ()
    apology: bool = False
    sampled: bool = False
    sample_id: str | None = None
    unit_id: str | None = None
    department: str | None = None
    erp_id: str | None = None
    grade: ComplaintGrade | None = None
    category: str | None = None
    subcategory: str | None = None
    requester_name: str | None = None
    requester_phone: str | None = None
    worker_id: str | None = None
    correlation_id: UUID | None = None
    cause_event_id: UUID | None = None
    occurred_at: datetime | None = None  # the source event's time, from which the window was counted
    deadline_provisional: bool = False  # R-CB-2: counted over a year known only by its statutory rules


@dataclass(frozen=True)
class Scheduled:
    """R-CB-1: the policy requires this callback; its window is set."""

    TYPE: ClassVar[str] = "callback.Scheduled"
    callback: CallbackRecord
    at: datetime


@dataclass(frozen=True)
class SkippedForFatigue:
    """Issue 6 §7: a non-mandatory callback not made — the household was contacted enough lately."""

    TYPE: ClassVar[str] = "callback.SkippedForFatigue"
    callback: CallbackRecord
    at: datetime
    recent_contacts: int
    max_contacts: int
    days: int


@dataclass(frozen=True)
class BecameDue:
    """R-CB-7: the window opened; the callback enters the callers' queues."""

    TYPE: ClassVar[str] = "callback.BecameDue"
    at: datetime


@dataclass(frozen=True)
class BecameOverdue:
    """R-RP-2: the deadline passed with no result; escalated one step up the rule's path."""

    TYPE: ClassVar[str] = "callback.BecameOverdue"
    at: datetime
    attempts_made: int
    escalate_to_role: StaffRole | None


@dataclass(frozen=True)
class DeadlineRevised:
    """R-CB-2: the window counted again — a year's schedule was loaded where only its statute was known."""

    TYPE: ClassVar[str] = "callback.DeadlineRevised"
    at: datetime
    window_start: datetime
    due_at: datetime
    deadline: datetime
    provisional: bool
    reason: str


@dataclass(frozen=True)
class AttemptCounted:
    """R-CB-11: survey numbered another try at reaching the resident."""

    TYPE: ClassVar[str] = "callback.AttemptCounted"
    attempt_no: int


@dataclass(frozen=True)
class Completed:
    """The resident answered; `satisfied` is satisfied-or-fair (R-SV-4)."""

    TYPE: ClassVar[str] = "callback.Completed"
    at: datetime
    satisfied: bool
    attempts_used: int


@dataclass(frozen=True)
class Failed:
    """R-CB-11: every attempt used without reaching the resident."""

    TYPE: ClassVar[str] = "callback.Failed"
    at: datetime
    attempts_used: int


@dataclass(frozen=True)
class ReopenDecided:
    """R-CB-10: a dissatisfied complaint callback sends the complaint back, escalated from the cap on."""

    TYPE: ClassVar[str] = "callback.ReopenDecided"
    at: datetime
    next_round: int
    escalate_to_role: StaffRole | None
    reason: str | None
    occurred_at: datetime


@dataclass(frozen=True)
class Imported:
    """A callback that existed before its stream did (an upgraded deployment): its state, taken as given."""

    TYPE: ClassVar[str] = "callback.Imported"
    callback: CallbackRecord
    state: str
    created_at: datetime
    attempts_used: int = 0
    satisfied: bool | None = None
    due_emitted_at: datetime | None = None
    overdue_at: datetime | None = None
    closed_at: datetime | None = None
    notes: dict[str, str] = field(default_factory=dict)


CallbackEvent = (
    Scheduled
    | SkippedForFatigue
    | BecameDue
    | BecameOverdue
    | DeadlineRevised
    | AttemptCounted
    | Completed
    | Failed
    | ReopenDecided
    | Imported
)

CALLBACK_EVENTS: tuple[type[CallbackEvent], ...] = (
    Scheduled,
    SkippedForFatigue,
    BecameDue,
    BecameOverdue,
    DeadlineRevised,
    AttemptCounted,
    Completed,
    Failed,
    ReopenDecided,
    Imported,
)


@dataclass(frozen=True)
class SampleRecord:
    """R-CB-4, R-CB-13: one month's draw for an estate and rule — who was in the population, who was left
    out for fatigue (`excluded`), the seed and algorithm, and who was chosen."""

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
    population: tuple[str, ...]
    chosen: tuple[str, ...]
    door_count: int
    excluded: tuple[str, ...]
    drawn_at: datetime
    requested_by: str | None = None


@dataclass(frozen=True)
class Drawn:
    """R-CB-13: the month's sample was drawn, once; the orders outside it are named by the population."""

    TYPE: ClassVar[str] = "sample.Drawn"
    sample: SampleRecord


SampleEvent = Drawn
SAMPLE_EVENTS: tuple[type[SampleEvent], ...] = (Drawn,)


@dataclass(frozen=True)
class VersionAdopted:
    """Issue 6 §1: a policy's new version is in force from `changed_at` for the estates it `governs`
    (an estate's override: that estate; the group's: every estate without its own, as of then)."""

    TYPE: ClassVar[str] = "policy.VersionAdopted"
    policy_id: str
    version: int
    group_id: str
    estate_id: str | None
    name: str
    body: PolicyBody
    changed_by: str | None
    changed_at: datetime
    governs: tuple[str, ...] = ()


PolicyEvent = VersionAdopted
POLICY_EVENTS: tuple[type[PolicyEvent], ...] = (VersionAdopted,)


@dataclass(frozen=True)
class ScheduleLoaded:
    """R-CB-2: a year's holidays and adjusted workdays (调休) for a group, from the State Council's notice."""

    TYPE: ClassVar[str] = "calendar.ScheduleLoaded"
    group_id: str
    year: int
    holidays: tuple[date, ...]
    workdays: tuple[date, ...]
    source: str
    loaded_by: str | None
    at: datetime


CalendarEvent = ScheduleLoaded
CALENDAR_EVENTS: tuple[type[CalendarEvent], ...] = (ScheduleLoaded,)
