"""The ballot — one household's link — as a decider, given / when / then with no I/O (issue 17 §1; R-SV-1).

Issued for a campaign's questionnaire or a callback answered online, used once, cut short when its campaign
closes; an import gives back the link as it stood.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from huifang_survey.domain.ballots import CALLBACK, QUESTIONNAIRE, token_digest
from huifang_survey.domain.errors import Conflict, InputInvalid, NotFound
from huifang_survey.domain.events import (
    BallotCutShort,
    BallotImported,
    BallotIssued,
    BallotUsed,
    IssuedBallot,
)
from huifang_survey.domain.issued_ballot import BallotUnusable, CutShort, IssueBallot, UseBallot
from huifang_survey.service_layer.ballot_streams import ballot_codec, issued_ballot

pytestmark = pytest.mark.unit

AT = datetime(2026, 7, 1, 9, 0, tzinfo=UTC)
EXPIRES = AT + timedelta(days=30)
DIGEST = token_digest("tok-a")
ISSUE = IssueBallot(DIGEST, QUESTIONNAIRE, AT, EXPIRES, campaign_id="cp-1", unit_id="T1-101")
ISSUED = issued_ballot.given_when([], ISSUE)


def test_r_sv_1_given_nothing_when_issued_then_the_link_of_one_household_until_its_expiry() -> None:
    (event,) = ISSUED
    assert event == BallotIssued(DIGEST, QUESTIONNAIRE, AT, EXPIRES, "cp-1", None, "T1-101")
    state = issued_ballot.fold(ISSUED)
    assert (state.expires_at, state.used_at) == (EXPIRES, None)


def test_given_an_issued_ballot_when_the_same_token_is_issued_again_then_refused() -> None:
    with pytest.raises(Conflict):
        issued_ballot.given_when(ISSUED, ISSUE)


def test_a_questionnaire_ballot_names_its_campaign_and_a_callback_ballot_its_callback() -> None:
    with pytest.raises(InputInvalid):
        issued_ballot.given_when([], IssueBallot(DIGEST, QUESTIONNAIRE, AT, EXPIRES, callback_id="cb-1"))
    with pytest.raises(InputInvalid):
        issued_ballot.given_when([], IssueBallot(DIGEST, CALLBACK, AT, EXPIRES, campaign_id="cp-1"))
    (event,) = issued_ballot.given_when([], IssueBallot(DIGEST, CALLBACK, AT, EXPIRES, callback_id="cb-1"))
    assert isinstance(event, BallotIssued) and event.callback_id == "cb-1"


def test_r_sv_1_given_an_issued_ballot_when_answered_then_used_and_a_second_answer_refused() -> None:
    answered = AT + timedelta(days=2)
    used = issued_ballot.given_when(ISSUED, UseBallot(answered, subject_open=True))
    assert used == [BallotUsed(answered)]
    with pytest.raises(BallotUnusable) as refused:
        issued_ballot.given_when([*ISSUED, *used], UseBallot(answered + timedelta(minutes=1), subject_open=True))
    assert refused.value.state == "used"


def test_an_expired_link_or_one_whose_campaign_is_finished_takes_no_answer() -> None:
    with pytest.raises(BallotUnusable) as expired:
        issued_ballot.given_when(ISSUED, UseBallot(EXPIRES, subject_open=True))
    with pytest.raises(BallotUnusable) as closed:
        issued_ballot.given_when(ISSUED, UseBallot(AT + timedelta(days=1), subject_open=False))
    assert (expired.value.state, closed.value.state) == ("expired", "closed")


def test_given_nothing_a_ballot_that_was_never_issued_is_unknown() -> None:
    with pytest.raises(NotFound):
        issued_ballot.given_when([], UseBallot(AT, subject_open=True))
    with pytest.raises(NotFound):
        issued_ballot.given_when([], CutShort(AT))


def test_given_an_open_link_when_its_campaign_closes_then_it_stops_at_the_close() -> None:
    close = AT + timedelta(days=3)
    cut = issued_ballot.given_when(ISSUED, CutShort(close))
    assert cut == [BallotCutShort(close)]
    after = issued_ballot.fold([*ISSUED, *cut])
    assert after.expires_at == close
    with pytest.raises(BallotUnusable) as refused:
        issued_ballot.given_when([*ISSUED, *cut], UseBallot(close, subject_open=True))
    assert refused.value.state == "expired"


def test_a_used_or_already_expired_link_is_not_cut_short() -> None:
    used = [*ISSUED, BallotUsed(AT + timedelta(days=1))]
    assert issued_ballot.given_when(used, CutShort(AT + timedelta(days=3))) == []
    assert issued_ballot.given_when(ISSUED, CutShort(EXPIRES + timedelta(days=1))) == []


def test_an_imported_ballot_folds_to_its_state_and_is_refused_a_second_answer() -> None:
    issued = BallotIssued(DIGEST, QUESTIONNAIRE, AT, EXPIRES, "cp-1", None, "T1-101")
    state = IssuedBallot(issued=issued, expires_at=EXPIRES, used_at=AT + timedelta(hours=1))
    imported = [BallotImported(state)]
    assert issued_ballot.fold(imported) == state
    with pytest.raises(BallotUnusable):
        issued_ballot.given_when(imported, UseBallot(AT + timedelta(hours=2), subject_open=True))


def test_every_ballot_event_survives_the_codec() -> None:
    codec = ballot_codec()
    state = issued_ballot.fold(ISSUED)
    for event in [*ISSUED, BallotUsed(AT), BallotCutShort(AT), BallotImported(state)]:
        assert codec.decode(codec.type_of(event), codec.encode(event)) == event
