"""Complaint transitions: pause/resume, five follow-ups at most, resolution only when accepted (R-CB-10),
reopening for the next round (R-CB-10), channel callback names its callback (R-CB-9)."""

from __future__ import annotations

import pytest
from huifang_contracts.enums import Channel, ComplaintGrade, ComplaintStatus, ComplaintValidity
from huifang_intake.domain.complaints import MAX_FOLLOW_UPS, register_complaint
from huifang_intake.domain.errors import DomainError, TransitionRefused

from tests.intake.unit.builders import at, complaint

pytestmark = pytest.mark.unit


def resolve(c, *, accepted: bool = True, validity: ComplaintValidity | None = ComplaintValidity.VALID):  # type: ignore[no-untyped-def]
    return c.resolve(result="已更换", validity=validity, department="engineering",
                     accepted_by_requester=accepted, special_event=False, at=at(120))  # fmt: skip


def test_registration_starts_in_progress_round_one() -> None:
    c, change = register_complaint(complaint())
    assert (c.status, c.round, change.name) == (ComplaintStatus.IN_PROGRESS, 1, "registered")


def test_r_cb_9_a_callback_complaint_must_name_its_callback() -> None:
    with pytest.raises(DomainError) as refused:
        register_complaint(complaint(channel=Channel.CALLBACK))
    assert refused.value.field == "origin_callback_id"
    c, _ = register_complaint(complaint(channel=Channel.CALLBACK, origin_callback_id="cb-1"))
    assert c.channel is Channel.CALLBACK


def test_pause_and_resume() -> None:
    paused, _ = complaint().pause("等待业主", at(5))
    assert paused.status is ComplaintStatus.PAUSED
    with pytest.raises(TransitionRefused):
        paused.pause(None, at(6))
    with pytest.raises(TransitionRefused):
        resolve(paused)  # resolved only from in progress
    resumed, _ = paused.resume(at(7))
    assert resumed.status is ComplaintStatus.IN_PROGRESS
    with pytest.raises(TransitionRefused):
        resumed.resume(at(8))


@pytest.mark.parametrize(("minutes", "late"), [(24 * 60, False), (24 * 60 + 1, True)])
def test_r_op_1_the_first_answer_comes_within_24_hours(minutes: int, late: bool) -> None:
    answered, change = complaint().add_follow_up("已联系业主", "stf-li", at(minutes))
    assert change.data["late"] is late
    _, second = answered.add_follow_up("再次跟进", None, at(minutes + 60 * 48))
    assert "late" not in second.data  # only the first answer is measured


def test_at_most_five_follow_ups() -> None:
    c = complaint()
    for i in range(MAX_FOLLOW_UPS):
        c, change = c.add_follow_up(f"跟进 {i + 1}", "stf-li", at(i + 1))
    assert len(c.follow_ups) == 5 and change.data["number"] == 5
    with pytest.raises(DomainError) as refused:
        c.add_follow_up("第六次", None, at(10))
    assert refused.value.field == "follow_ups"


def test_r_cb_10_resolution_requires_the_requester_to_accept() -> None:
    with pytest.raises(DomainError) as refused:
        resolve(complaint(), accepted=False)
    assert refused.value.field == "accepted_by_requester"
    closed, change = resolve(complaint())
    assert (closed.status, closed.validity, change.data["round"]) == (
        ComplaintStatus.CLOSED,
        ComplaintValidity.VALID,
        1,
    )


def test_resolution_needs_a_validity_judgement() -> None:
    with pytest.raises(DomainError) as refused:
        resolve(complaint(), validity=None)
    assert refused.value.field == "validity"
    judged, _ = complaint().judge(ComplaintValidity.COORDINATION, ComplaintGrade.IMPORTANT, at(3))
    closed, _ = resolve(judged, validity=None)
    assert (closed.validity, closed.grade) == (ComplaintValidity.COORDINATION, ComplaintGrade.IMPORTANT)


def test_r_cb_10_reopen_brings_a_closed_complaint_back_for_the_next_round_once() -> None:
    closed, _ = resolve(complaint())
    reopened, change = closed.reopen(2, "仍有异响", at(200))  # type: ignore[misc]
    assert (reopened.status, reopened.round, change.data) == (
        ComplaintStatus.IN_PROGRESS, 2, {"round": 2, "reason": "仍有异响"},
    )  # fmt: skip
    assert reopened.reopen(2, "again", at(201)) is None  # the same round again: nothing to do
    with pytest.raises(TransitionRefused):
        complaint().reopen(2, None, at(5))  # in progress: nothing to reopen
    with pytest.raises(DomainError) as skipped:
        closed.reopen(3, None, at(5))
    assert skipped.value.field == "round"
    again, _ = resolve(reopened)
    assert again.round == 2 and again.status is ComplaintStatus.CLOSED
