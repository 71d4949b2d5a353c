"""The callback as a decider, given / when / then, without I/O (issue 17 §2; R-CB-7, R-CB-10, R-CB-11,
R-RP-2, issue 6 §7). Every command of the aggregate, and the decisions that change no table row."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from huifang_callback.domain.commands import (
    CompleteCallback,
    CountAttempt,
    FailCallback,
    MarkDue,
    MarkOverdue,
    ScheduleCallback,
)
from huifang_callback.domain.events import (
    AttemptCounted,
    BecameDue,
    BecameOverdue,
    CallbackRecord,
    Completed,
    Failed,
    ReopenDecided,
    Scheduled,
    SkippedForFatigue,
)
from huifang_callback.domain.model import CallbackState
from huifang_callback.domain.policy import Fatigue
from huifang_callback.service_layer.callbacks import CODEC, DECIDER
from huifang_contracts.enums import CallbackMethod, RequestKind, SatisfactionScale, StaffRole

from tests.callback.unit.sources import T

pytestmark = pytest.mark.unit

HOUR = timedelta(hours=1)
RECORD = CallbackRecord(
    callback_id="cb-1", group_id="G1", estate_id="E1", source_type="intake.OrderClosed", source_id="WO-1",
    kind=RequestKind.REPAIR, round=1, rule_id="repair.all", policy_id="P1", policy_version=1,
    window_start=T + HOUR, due_at=T + HOUR, deadline=T + 48 * HOUR, method=CallbackMethod.PHONE,
    caller_role=StaffRole.SERVICE_CENTER_STAFF, max_attempts=3, retry_spacing_minutes=120, reopen_cap=2,
    mandatory=False, rating_scale=SatisfactionScale.FOUR_LEVEL,
    escalation=(StaffRole.OFFICE_MANAGER, StaffRole.PROPERTY_DIRECTOR), unit_id="U-1",
)  # fmt: skip
COMPLAINT = replace(RECORD, source_type="intake.ComplaintResolved", source_id="C-1", kind=RequestKind.COMPLAINT)
SCHEDULED = Scheduled(RECORD, T)
TIRED = Fatigue(max_contacts=2, days=30)


def complete(satisfied: bool, attempts: int = 1) -> CompleteCallback:
    return CompleteCallback(at=T + 2 * HOUR, decided_at=T + 3 * HOUR, satisfied=satisfied, attempts_used=attempts,
                            reason="还是漏水", occurred_at=T + 2 * HOUR)  # fmt: skip


def test_given_nothing_when_scheduled_before_its_window_then_scheduled_only() -> None:
    assert DECIDER.given_when([], ScheduleCallback(RECORD, T)) == [SCHEDULED]


def test_r_cb_7_given_nothing_when_scheduled_inside_its_window_then_due_at_once() -> None:
    late = T + 2 * HOUR
    assert DECIDER.given_when([], ScheduleCallback(RECORD, late)) == [Scheduled(RECORD, late), BecameDue(late)]


def test_given_scheduled_when_the_same_source_comes_again_then_nothing() -> None:
    assert DECIDER.given_when([SCHEDULED], ScheduleCallback(RECORD, T + HOUR)) == []


def test_fatigue_a_household_at_its_limit_is_skipped_and_the_skip_is_an_event() -> None:
    decided = DECIDER.given_when([], ScheduleCallback(RECORD, T, TIRED, recent_contacts=2))
    assert decided == [SkippedForFatigue(RECORD, T, recent_contacts=2, max_contacts=2, days=30)]
    state = DECIDER.fold(decided)
    assert (state.skipped, state.state) == (True, None)
    # A skipped callback is decided: neither a second delivery nor a timer makes it.
    assert DECIDER.given_when(decided, ScheduleCallback(RECORD, T, TIRED, recent_contacts=0)) == []
    assert DECIDER.given_when(decided, MarkDue(T + 2 * HOUR)) == []


def test_fatigue_below_the_limit_or_on_a_mandatory_callback_schedules() -> None:
    assert DECIDER.given_when([], ScheduleCallback(RECORD, T, TIRED, recent_contacts=1)) == [SCHEDULED]
    mandatory = replace(RECORD, mandatory=True)
    assert DECIDER.given_when([], ScheduleCallback(mandatory, T, TIRED, 5)) == [Scheduled(mandatory, T)]


def test_given_scheduled_when_the_timer_ticks_before_the_window_then_nothing_and_after_it_due() -> None:
    assert DECIDER.given_when([SCHEDULED], MarkDue(T + HOUR / 2)) == []
    assert DECIDER.given_when([SCHEDULED], MarkDue(T + HOUR)) == [BecameDue(T + HOUR)]
    assert DECIDER.given_when([SCHEDULED, BecameDue(T + HOUR)], MarkDue(T + 2 * HOUR)) == []


def test_r_rp_2_given_due_when_past_the_deadline_then_overdue_once_escalated_with_the_attempts_made() -> None:
    history = [SCHEDULED, BecameDue(T + HOUR), AttemptCounted(2)]
    assert DECIDER.given_when(history, MarkOverdue(T + 48 * HOUR)) == []  # at the deadline: not yet
    late = T + 49 * HOUR
    assert DECIDER.given_when(history, MarkOverdue(late)) == [BecameOverdue(late, 2, StaffRole.OFFICE_MANAGER)]
    assert DECIDER.given_when([*history, BecameOverdue(late, 2, StaffRole.OFFICE_MANAGER)], MarkOverdue(late)) == []


def test_r_cb_11_attempts_count_the_greatest_number_not_the_deliveries() -> None:
    history = [SCHEDULED, AttemptCounted(3)]
    assert DECIDER.given_when(history, CountAttempt(2)) == []
    assert DECIDER.given_when(history, CountAttempt(3)) == []
    assert DECIDER.given_when(history, CountAttempt(4)) == [AttemptCounted(4)]
    assert DECIDER.given_when([], CountAttempt(1)) == []  # a callback unknown here


def test_given_due_when_completed_satisfied_then_completed_and_closed_once() -> None:
    history = [SCHEDULED, BecameDue(T + HOUR), AttemptCounted(2)]
    decided = DECIDER.given_when(history, complete(True, attempts=1))
    assert decided == [Completed(T + 2 * HOUR, True, 2)]
    state = DECIDER.fold([*history, *decided])
    assert (state.state, state.satisfied, state.attempts_used) == (CallbackState.COMPLETED, True, 2)
    assert DECIDER.given_when([*history, *decided], complete(False)) == []
    assert DECIDER.given_when([*history, *decided], FailCallback(T, 3)) == []


def test_a_late_answer_still_closes_an_overdue_callback() -> None:
    history = [SCHEDULED, BecameDue(T + HOUR), BecameOverdue(T + 49 * HOUR, 0, StaffRole.OFFICE_MANAGER)]
    assert DECIDER.given_when(history, complete(True)) == [Completed(T + 2 * HOUR, True, 1)]


def test_r_cb_11_given_due_when_failed_then_failed_with_the_attempts_used() -> None:
    decided = DECIDER.given_when([SCHEDULED, BecameDue(T + HOUR)], FailCallback(T + 5 * HOUR, 3))
    assert decided == [Failed(T + 5 * HOUR, 3)]
    assert DECIDER.fold([SCHEDULED, *decided]).state is CallbackState.FAILED


def test_an_order_callback_answered_dissatisfied_closes_without_reopening() -> None:
    assert DECIDER.given_when([SCHEDULED], complete(False)) == [Completed(T + 2 * HOUR, False, 1)]


@pytest.mark.parametrize(
    ("round_no", "escalate_to"),
    [(1, None), (2, StaffRole.OFFICE_MANAGER), (3, StaffRole.PROPERTY_DIRECTOR), (4, StaffRole.PROPERTY_DIRECTOR)],
)
def test_r_cb_10_a_dissatisfied_complaint_reopens_escalated_from_the_cap_on(
    round_no: int, escalate_to: StaffRole | None
) -> None:
    record = replace(COMPLAINT, round=round_no)
    decided = DECIDER.given_when([Scheduled(record, T)], complete(False))
    assert decided == [
        Completed(T + 2 * HOUR, False, 1),
        ReopenDecided(T + 3 * HOUR, round_no + 1, escalate_to, "还是漏水", T + 2 * HOUR),
    ]


def test_a_satisfied_complaint_does_not_reopen() -> None:
    assert DECIDER.given_when([Scheduled(COMPLAINT, T)], complete(True)) == [Completed(T + 2 * HOUR, True, 1)]


def test_nothing_but_scheduling_moves_a_callback_that_does_not_exist() -> None:
    for command in (MarkDue(T), MarkOverdue(T), complete(True), FailCallback(T, 1)):
        assert DECIDER.given_when([], command) == []


def test_every_event_survives_the_store_round_trip() -> None:
    events = [
        SCHEDULED, SkippedForFatigue(RECORD, T, 2, 2, 30), BecameDue(T), BecameOverdue(T, 1, None),
        AttemptCounted(2), Completed(T, False, 2), Failed(T, 3), ReopenDecided(T, 2, StaffRole.OFFICE_MANAGER, None, T),
    ]  # fmt: skip
    assert [CODEC.decode(CODEC.type_of(e), CODEC.encode(e)) for e in events] == events
