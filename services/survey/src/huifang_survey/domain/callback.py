"""A callback task as survey sees it, and what one recorded contact makes of it (R-CB-9, R-CB-11, R-CB-12).

Callback decides that a callback is owed and dispatch who makes it; survey keeps what happened on the
phone or at the door. One contact is one attempt; a reached attempt completes the callback with its
ratings, a refusal or a wrong number ends it at once, and "no answer" ends it only when the policy's
attempts are used up (R-CB-11).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from huifang_contracts.enums import AttemptResult, CallbackMethod, FailureReason, Relation, SatisfactionScale
from huifang_contracts.survey import Ratings

from huifang_survey.domain.errors import Conflict, InputInvalid, NotAssigned
from huifang_survey.domain.lateness import after_deadline, record_is_late
from huifang_survey.domain.ratings import callback_ratings, satisfied_or_fair

OPEN, COMPLETED, FAILED = "open", "completed", "failed"

#: R-CB-11: results after which another try is pointless; the callback fails at once.
FINAL_RESULTS = {AttemptResult.REFUSED: FailureReason.REFUSED, AttemptResult.WRONG_NUMBER: FailureReason.WRONG_NUMBER}


@dataclass(frozen=True)
class NewIssue:
    """R-CB-9: something the requester raised during the callback; it becomes a new complaint."""

    description: str
    category: str | None = None
    subcategory: str | None = None


@dataclass(frozen=True)
class Contact:
    """One recorded try to reach the requester, as the caller reports it."""

    caller_id: str
    result: AttemptResult
    method: CallbackMethod
    contacted_at: datetime
    recorded_at: datetime
    answered_by: str | None = None
    relation: Relation | None = None
    duration_seconds: int | None = None
    ratings: dict[str, Any] | None = None
    comments: str | None = None
    suggestions: str | None = None
    note: str | None = None
    new_issues: tuple[NewIssue, ...] = ()


@dataclass(frozen=True)
class Attempt:
    attempt_no: int
    next_attempt_after: datetime | None
    record_late: bool


@dataclass(frozen=True)
class Completion:
    ratings: Ratings
    satisfied_or_fair: bool
    late: bool
    record_late: bool
    attempts_used: int


@dataclass(frozen=True)
class Failure:
    reason: FailureReason
    attempts_used: int


@dataclass(frozen=True)
class Outcome:
    attempt: Attempt
    completion: Completion | None = None
    failure: Failure | None = None
    issues: tuple[NewIssue, ...] = ()

    @property
    def status(self) -> str:
        return COMPLETED if self.completion else FAILED if self.failure else OPEN


@dataclass
class CallbackTask:
    """What survey knows of one callback: its requirements (CallbackScheduled) and its holder."""

    callback_id: str
    max_attempts: int
    retry_spacing_minutes: int
    deadline: datetime | None
    scale: SatisfactionScale
    timezone: str
    assignee_id: str | None = None
    status: str = OPEN
    attempts_used: int = 0
    history: list[AttemptResult] = field(default_factory=list)

    def record(self, contact: Contact) -> Outcome:
        """Check the contact against the task, then say what it makes of it; the task is updated."""
        if self.status != OPEN:
            raise Conflict(f"callback {self.callback_id} is already {self.status}")
        if contact.caller_id != self.assignee_id:
            raise NotAssigned(f"callback {self.callback_id} is not assigned to {contact.caller_id}")
        _check_contact(contact)
        attempt_no = self.attempts_used + 1
        record_late = record_is_late(contact.contacted_at, contact.recorded_at, self.timezone)  # R-CB-12
        completion = failure = None
        next_after = None
        if contact.result is AttemptResult.REACHED:
            ratings = callback_ratings(self.scale, contact.ratings or {})
            late = after_deadline(contact.contacted_at, self.deadline)
            completion = Completion(ratings, satisfied_or_fair(ratings), late, record_late, attempt_no)
        elif contact.result in FINAL_RESULTS:
            failure = Failure(FINAL_RESULTS[contact.result], attempt_no)
        elif attempt_no >= self.max_attempts:  # R-CB-11: the policy's attempts are used up
            failure = Failure(FailureReason.ATTEMPTS_EXHAUSTED, attempt_no)
        else:
            next_after = contact.contacted_at + timedelta(minutes=self.retry_spacing_minutes)
        outcome = Outcome(Attempt(attempt_no, next_after, record_late), completion, failure, contact.new_issues)
        self.attempts_used = attempt_no
        self.history.append(contact.result)
        self.status = outcome.status
        return outcome


def issue_id_for(callback_id: str, attempt_no: int, index: int) -> str:
    """Stable, so intake's dedupe on the issue id holds if the same record is ever replayed (R-CB-9)."""
    return f"{callback_id}-a{attempt_no}-i{index + 1}"


def _check_contact(contact: Contact) -> None:
    if contact.contacted_at > contact.recorded_at:
        raise InputInvalid("contacted_at", "is later than the time of recording")
    if contact.duration_seconds is not None and contact.duration_seconds < 0:
        raise InputInvalid("duration_seconds", "must not be negative")
    reached = contact.result is AttemptResult.REACHED
    if not reached and contact.ratings:
        raise InputInvalid("ratings", "only a reached contact is rated")
    if not reached and contact.new_issues:
        raise InputInvalid("new_issues", "issues are raised by a requester who was reached (R-CB-9)")
    if reached and not contact.ratings:
        raise InputInvalid("ratings", "a reached contact needs the ratings, at least overall")
