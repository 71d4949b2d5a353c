"""The callback record as a decider, given / when / then with no I/O (issue 17 §1; R-CB-9, R-CB-11, R-CB-12)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from huifang_contracts.enums import AttemptResult, CallbackMethod, FailureReason, SatisfactionScale
from huifang_survey.domain.callback import COMPLETED, FAILED, OPEN, Contact, NewIssue
from huifang_survey.domain.callback_record import CallbackTerms, Household, RecordContact
from huifang_survey.domain.errors import Conflict, NotAssigned
from huifang_survey.domain.events import (
    CallbackRecord,
    ComplaintRaised,
    ContactAttempted,
    RecordCompleted,
    RecordFailed,
    RecordImported,
)
from huifang_survey.service_layer.records import callback_record, record_codec

pytestmark = pytest.mark.unit

T0 = datetime(2026, 3, 5, 2, 0, tzinfo=UTC)  # 10:00 Shanghai
TERMS = CallbackTerms("cb-1", 3, 120, T0 + timedelta(days=2), SatisfactionScale.FOUR_LEVEL, "Asia/Shanghai", "stf-1")
HOME = Household("T3-1502", "李敏", "13800138000")


def when(result: AttemptResult, at: datetime = T0, terms: CallbackTerms = TERMS, **kw: Any) -> RecordContact:
    contact = Contact("stf-1", result, CallbackMethod.PHONE, at, kw.pop("recorded_at", at), **kw)
    return RecordContact(terms, contact, HOME)


def no_answer(n: int) -> ContactAttempted:
    """The n-th unanswered try, as the stream holds it."""
    (first,) = callback_record.given_when([], when(AttemptResult.NO_ANSWER))
    assert isinstance(first, ContactAttempted)
    return replace(first, attempt_no=n)


def test_r_cb_11_given_nothing_when_no_answer_then_an_attempt_with_the_next_try_after_the_spacing() -> None:
    (event,) = callback_record.given_when([], when(AttemptResult.NO_ANSWER))
    assert isinstance(event, ContactAttempted)
    assert (event.attempt_no, event.next_attempt_after) == (1, T0 + timedelta(minutes=120))
    assert callback_record.fold([event]) == CallbackRecord(status=OPEN, attempts_used=1, attempts=(event,))


def test_r_cb_11_given_two_unanswered_when_the_third_is_unanswered_then_the_record_fails() -> None:
    given = [no_answer(1), no_answer(2)]
    attempt, failed = callback_record.given_when(given, when(AttemptResult.NO_ANSWER, T0 + timedelta(hours=4)))
    assert isinstance(attempt, ContactAttempted) and attempt.attempt_no == 3 and attempt.next_attempt_after is None
    four_hours = T0 + timedelta(hours=4)
    exhausted = FailureReason.ATTEMPTS_EXHAUSTED
    assert failed == RecordFailed("cb-1", exhausted, 3, AttemptResult.NO_ANSWER, four_hours, four_hours)
    assert callback_record.fold([*given, attempt, failed]).status == FAILED


def test_r_cb_11_given_nothing_when_refused_then_it_fails_at_once() -> None:
    _attempt, failed = callback_record.given_when([], when(AttemptResult.REFUSED))
    assert isinstance(failed, RecordFailed) and (failed.reason, failed.attempts_used) == (FailureReason.REFUSED, 1)


def test_given_an_unanswered_try_when_reached_then_the_record_completes_with_ratings_and_raises_the_issue() -> None:
    later = T0 + timedelta(hours=3)
    command = when(
        AttemptResult.REACHED, later, ratings={"overall": "不满意"}, comments="漏水未修好",
        new_issues=(NewIssue("楼道灯不亮", "电气", "公共照明"),),
    )  # fmt: skip
    attempt, done, issue = callback_record.given_when([no_answer(1)], command)
    assert isinstance(attempt, ContactAttempted) and attempt.attempt_no == 2
    assert isinstance(done, RecordCompleted)
    assert (done.ratings.overall.value, done.satisfied_or_fair, done.attempts_used) == ("dissatisfied", False, 2)
    assert (done.late, done.record_late, done.comments) == (False, False, "漏水未修好")
    # R-CB-9: the complaint names the household and carries a stable id
    assert issue == ComplaintRaised(
        issue_id="cb-1-a2-i1", callback_id="cb-1", description="楼道灯不亮", recorded_by="stf-1", raised_at=later,
        recorded_at=later, category="电气", subcategory="公共照明", unit_id="T3-1502", requester_name="李敏",
        requester_phone="13800138000",
    )  # fmt: skip
    state = callback_record.fold([no_answer(1), attempt, done, issue])
    assert (state.status, state.attempts_used, state.completion, state.issues) == (COMPLETED, 2, done, (issue,))


def test_r_cb_12_a_record_written_two_local_days_after_the_contact_is_late() -> None:
    (attempt, done) = callback_record.given_when(
        [], when(AttemptResult.REACHED, ratings={"overall": "satisfied"}, recorded_at=T0 + timedelta(days=2))
    )
    assert isinstance(attempt, ContactAttempted) and attempt.record_late is True
    assert isinstance(done, RecordCompleted) and done.record_late is True


def test_given_a_completed_record_when_another_contact_then_refused() -> None:
    given = callback_record.given_when([], when(AttemptResult.REACHED, ratings={"overall": "satisfied"}))
    with pytest.raises(Conflict):
        callback_record.given_when(given, when(AttemptResult.NO_ANSWER))


def test_when_the_callback_is_held_by_someone_else_then_refused() -> None:
    theirs = replace(TERMS, assignee_id="stf-2")
    with pytest.raises(NotAssigned):
        callback_record.given_when([], when(AttemptResult.NO_ANSWER, terms=theirs))


def test_r_cb_11_the_attempts_come_from_the_stream_not_from_the_command() -> None:
    """Two attempts imported from before the streams count against a policy of three."""
    imported = RecordImported("cb-1", CallbackRecord(OPEN, 2, (no_answer(1), no_answer(2))))
    attempt, failed = callback_record.given_when([imported], when(AttemptResult.NO_ANSWER))
    assert isinstance(attempt, ContactAttempted) and attempt.attempt_no == 3
    assert isinstance(failed, RecordFailed) and failed.reason is FailureReason.ATTEMPTS_EXHAUSTED


def test_every_event_round_trips_through_the_codec() -> None:
    codec = record_codec()
    command = when(AttemptResult.REACHED, ratings={"overall": "satisfied"}, new_issues=(NewIssue("噪音"),))
    events = callback_record.given_when([no_answer(1)], command)
    failed = callback_record.given_when([], when(AttemptResult.WRONG_NUMBER))[1]
    imported = RecordImported("cb-1", callback_record.fold([no_answer(1), *events]))
    for event in [*events, failed, imported]:
        assert codec.decode(codec.type_of(event), codec.encode(event)) == event
