"""What can be asked of a callback; time arrives in the command, never from a clock in the domain."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from huifang_callback.domain.events import CallbackRecord
from huifang_callback.domain.policy import Fatigue


@dataclass(frozen=True)
class ScheduleCallback:
    """R-CB-1: the policy requires this callback. `recent_contacts`: the household's non-mandatory
    contacts within the fatigue window, for the fatigue rule (issue 6 §7)."""

    callback: CallbackRecord
    at: datetime
    fatigue: Fatigue | None = None
    recent_contacts: int = 0


@dataclass(frozen=True)
class MarkDue:
    at: datetime


@dataclass(frozen=True)
class MarkOverdue:
    at: datetime


@dataclass(frozen=True)
class CountAttempt:
    attempt_no: int


@dataclass(frozen=True)
class CompleteCallback:
    """`at`: when the resident answered; `decided_at`: now, when a reopening is decided (R-CB-10)."""

    at: datetime
    decided_at: datetime
    satisfied: bool
    attempts_used: int
    reason: str | None
    occurred_at: datetime


@dataclass(frozen=True)
class FailCallback:
    at: datetime
    attempts_used: int


@dataclass(frozen=True)
class ReviseDeadline:
    """R-CB-2: the callback's window as counted with the calendar now known."""

    at: datetime
    window_start: datetime
    due_at: datetime
    deadline: datetime
    provisional: bool
    reason: str


CallbackCommand = (
    ReviseDeadline | ScheduleCallback | MarkDue | MarkOverdue | CountAttempt | CompleteCallback | FailCallback
)
