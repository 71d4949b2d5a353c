"""The corrective action as a decider (R-SV-5), given / when / then, with no I/O (issue 17 §1)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from huifang_contracts.enums import Metric
from huifang_reporting.domain.corrective_action import AcknowledgeAction, RequireAction, VerifyAction
from huifang_reporting.domain.errors import AlreadyAcknowledged, AlreadyVerified, NotFound
from huifang_reporting.domain.events import (
    Acknowledgement,
    ActionAcknowledged,
    ActionImported,
    ActionRequired,
    ActionVerified,
    CorrectiveAction,
    Notice,
    Verification,
)
from huifang_reporting.service_layer.corrective_actions import action_codec, corrective_action

pytestmark = pytest.mark.unit

CLOSED = datetime(2026, 3, 6, 0, 0, tzinfo=UTC)
NOTICE = Notice(
    action_id="a-1",
    group_id="G1",
    estate_id="E1",
    period="2026-02",
    metric=Metric.OVERALL_SATISFACTION,
    target_percent=95.0,
    actual_percent=66.67,
    numerator=2,
    denominator=3,
    deadline=CLOSED + timedelta(days=15),
    issued_at=CLOSED,
    issued_by="system",
)
REQUIRED = ActionRequired(NOTICE)
ACK = AcknowledgeAction("a-1", "lt-manager", CLOSED + timedelta(days=1), "保洁班组整改")
VERIFY = VerifyAction("a-1", "qd-1", CLOSED + timedelta(days=14), effective=True, actual_percent=96.0, note="整改完成")


def test_r_sv_5_given_nothing_when_required_then_the_notice_is_issued() -> None:
    assert corrective_action.given_when([], RequireAction(NOTICE)) == [REQUIRED]


def test_r_sv_5_given_a_notice_when_required_again_then_nothing_is_issued() -> None:
    """The month closed twice (the loop and a request): still one notice per estate, month and KPI."""
    later = replace(NOTICE, issued_at=CLOSED + timedelta(hours=1), actual_percent=50.0)
    assert corrective_action.given_when([REQUIRED], RequireAction(later)) == []
    assert corrective_action.fold([REQUIRED]).notice == NOTICE


def test_given_a_notice_when_acknowledged_then_who_when_and_the_plan_are_kept() -> None:
    events = corrective_action.given_when([REQUIRED], ACK)
    assert events == [ActionAcknowledged(Acknowledgement("lt-manager", ACK.at, "保洁班组整改"))]
    assert corrective_action.fold([REQUIRED, *events]).acknowledgement == Acknowledgement(
        "lt-manager", ACK.at, "保洁班组整改"
    )


def test_given_an_acknowledged_notice_when_acknowledged_again_then_refused() -> None:
    given = [REQUIRED, *corrective_action.given_when([REQUIRED], ACK)]
    with pytest.raises(AlreadyAcknowledged):
        corrective_action.given_when(given, replace(ACK, by="someone-else"))


def test_r_sv_5_given_a_notice_when_verified_then_the_check_is_recorded_without_an_acknowledgement() -> None:
    events = corrective_action.given_when([REQUIRED], VERIFY)
    assert events == [ActionVerified(Verification("qd-1", VERIFY.at, True, 96.0, "整改完成"))]
    state = corrective_action.fold([REQUIRED, *events])
    assert state.verification is not None and state.verification.effective is True
    assert state.acknowledgement is None


def test_r_sv_5_given_a_verified_notice_when_verified_or_acknowledged_then_refused() -> None:
    given = [REQUIRED, *corrective_action.given_when([REQUIRED], VERIFY)]
    with pytest.raises(AlreadyVerified, match="2026-03-20T00:00:00"):
        corrective_action.given_when(given, replace(VERIFY, effective=False))
    with pytest.raises(AlreadyVerified):
        corrective_action.given_when(given, ACK)


@pytest.mark.parametrize("command", [ACK, VERIFY])
def test_given_no_notice_when_acknowledged_or_verified_then_not_found(command: object) -> None:
    with pytest.raises(NotFound):
        corrective_action.given_when([], command)  # type: ignore[arg-type]


def test_given_an_imported_notice_then_its_state_is_the_rows_and_it_is_not_required_again() -> None:
    imported = CorrectiveAction(NOTICE, None, Verification("qd-1", VERIFY.at, False))
    given = [ActionImported(imported)]
    assert corrective_action.fold(given) == imported
    assert corrective_action.given_when(given, RequireAction(NOTICE)) == []
    with pytest.raises(AlreadyVerified):
        corrective_action.given_when(given, VERIFY)


def test_every_event_round_trips_through_the_codec() -> None:
    codec = action_codec()
    ack = ActionAcknowledged(Acknowledgement("lt-manager", ACK.at, None))
    verified = ActionVerified(Verification("qd-1", VERIFY.at, True, 96.0, "整改完成"))
    imported = ActionImported(CorrectiveAction(NOTICE, ack.acknowledgement, verified.verification))
    for event in (REQUIRED, ack, verified, imported):
        assert codec.decode(codec.type_of(event), codec.encode(event)) == event
