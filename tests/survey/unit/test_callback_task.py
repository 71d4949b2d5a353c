"""One recorded contact at a time: R-CB-11 attempts and failures, R-CB-12 late, R-CB-9 issues, who may record."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from huifang_contracts.enums import AttemptResult, CallbackMethod, FailureReason, SatisfactionScale
from huifang_survey.domain.callback import COMPLETED, FAILED, OPEN, CallbackTask, Contact, NewIssue
from huifang_survey.domain.errors import Conflict, InputInvalid, NotAssigned

pytestmark = pytest.mark.unit

T0 = datetime(2026, 3, 5, 2, 0, tzinfo=UTC)  # 10:00 Shanghai


def task(
    max_attempts: int = 3, spacing: int = 120, scale: SatisfactionScale = SatisfactionScale.FOUR_LEVEL
) -> CallbackTask:
    return CallbackTask("cb-1", max_attempts, spacing, T0 + timedelta(days=2), scale, "Asia/Shanghai", "stf-1")


def contact(result: AttemptResult, at: datetime = T0, **kw: Any) -> Contact:
    return Contact("stf-1", result, CallbackMethod.PHONE, at, kw.pop("recorded_at", at), **kw)


def test_no_answer_leaves_it_open_with_the_next_try_after_the_spacing() -> None:
    t = task(spacing=120)
    outcome = t.record(contact(AttemptResult.NO_ANSWER))
    assert (outcome.attempt.attempt_no, outcome.status) == (1, OPEN)
    assert outcome.attempt.next_attempt_after == T0 + timedelta(minutes=120)  # R-CB-11 spacing
    assert t.attempts_used == 1


def test_attempts_used_up_fail_the_callback() -> None:
    # R-CB-11: policy allows 3 attempts; the third "no answer" ends it
    t = task(max_attempts=3)
    t.record(contact(AttemptResult.NO_ANSWER))
    t.record(contact(AttemptResult.NO_ANSWER, T0 + timedelta(hours=2)))
    third = t.record(contact(AttemptResult.NO_ANSWER, T0 + timedelta(hours=4)))
    assert third.failure is not None
    assert (third.failure.reason, third.failure.attempts_used) == (FailureReason.ATTEMPTS_EXHAUSTED, 3)
    assert third.attempt.next_attempt_after is None
    assert t.status == FAILED
    with pytest.raises(Conflict):
        t.record(contact(AttemptResult.NO_ANSWER, T0 + timedelta(hours=6)))


@pytest.mark.parametrize(
    ("result", "reason"),
    [(AttemptResult.REFUSED, FailureReason.REFUSED), (AttemptResult.WRONG_NUMBER, FailureReason.WRONG_NUMBER)],
)
def test_refusal_or_wrong_number_fail_at_once(result: AttemptResult, reason: FailureReason) -> None:
    outcome = task(max_attempts=3).record(contact(result))
    assert outcome.failure is not None and outcome.failure.reason is reason
    assert outcome.failure.attempts_used == 1


def test_reached_on_the_second_try_completes_with_ratings() -> None:
    t = task()
    t.record(contact(AttemptResult.NO_ANSWER))
    outcome = t.record(contact(AttemptResult.REACHED, T0 + timedelta(hours=3), ratings={"overall": "dissatisfied"}))
    assert outcome.completion is not None
    assert outcome.completion.attempts_used == 2
    assert outcome.completion.satisfied_or_fair is False  # R-SV-3
    assert outcome.completion.late is False
    assert t.status == COMPLETED


def test_reached_after_the_deadline_is_late_and_recorded_two_local_days_later_is_record_late() -> None:
    at = T0 + timedelta(days=3)  # deadline was T0 + 2 days
    outcome = task().record(
        contact(AttemptResult.REACHED, at, recorded_at=at + timedelta(days=2), ratings={"overall": "satisfied"})
    )
    assert outcome.completion is not None
    assert (outcome.completion.late, outcome.completion.record_late) == (True, True)  # R-RP-2, R-CB-12


def test_a_callback_not_assigned_to_the_caller_is_refused() -> None:
    t = task()
    stranger = Contact("stf-9", AttemptResult.NO_ANSWER, CallbackMethod.PHONE, T0, T0)
    with pytest.raises(NotAssigned):
        t.record(stranger)
    t.assignee_id = None  # not yet in anyone's queue
    with pytest.raises(NotAssigned):
        t.record(contact(AttemptResult.NO_ANSWER))


def test_issues_travel_with_a_reached_contact_only() -> None:
    issue = NewIssue("楼道灯不亮", "electrical")
    outcome = task().record(contact(AttemptResult.REACHED, ratings={"overall": "fair"}, new_issues=(issue,)))
    assert outcome.issues == (issue,)  # R-CB-9
    with pytest.raises(InputInvalid) as refused:
        task().record(contact(AttemptResult.NO_ANSWER, new_issues=(issue,)))
    assert refused.value.field == "new_issues"


def test_a_reached_contact_needs_ratings_and_others_have_none() -> None:
    with pytest.raises(InputInvalid) as missing:
        task().record(contact(AttemptResult.REACHED))
    assert missing.value.field == "ratings"
    with pytest.raises(InputInvalid) as extra:
        task().record(contact(AttemptResult.NO_ANSWER, ratings={"overall": "satisfied"}))
    assert extra.value.field == "ratings"


def test_a_contact_in_the_future_of_its_record_is_refused() -> None:
    with pytest.raises(InputInvalid) as refused:
        task().record(contact(AttemptResult.NO_ANSWER, T0 + timedelta(hours=1), recorded_at=T0))
    assert refused.value.field == "contacted_at"
