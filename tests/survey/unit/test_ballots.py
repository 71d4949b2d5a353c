"""One answer per household link; a used, expired or finished link says so (issue 8, online answers)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from huifang_survey.domain.ballots import CLOSED, EXPIRED, QUESTIONNAIRE, USABLE, USED, Ballot, token_digest

pytestmark = pytest.mark.unit

ISSUED = datetime(2026, 7, 1, tzinfo=UTC)
EXPIRES = ISSUED + timedelta(days=30)


def test_a_fresh_link_is_usable_until_it_expires() -> None:
    ballot = Ballot(QUESTIONNAIRE, EXPIRES, None, subject_open=True)
    assert ballot.state_at(EXPIRES - timedelta(seconds=1)) == USABLE
    assert ballot.state_at(EXPIRES) == EXPIRED


def test_used_wins_over_expired_and_closed() -> None:
    # the resident who already answered is told so, even after the campaign ended
    ballot = Ballot(QUESTIONNAIRE, EXPIRES, ISSUED + timedelta(days=2), subject_open=False)
    assert ballot.state_at(EXPIRES + timedelta(days=1)) == USED


def test_a_closed_campaign_or_finished_callback_ends_the_link() -> None:
    assert Ballot(QUESTIONNAIRE, EXPIRES, None, subject_open=False).state_at(ISSUED) == CLOSED


def test_only_the_digest_is_kept() -> None:
    digest = token_digest("tok-a")
    assert len(digest) == 64 and "tok-a" not in digest
    assert digest == token_digest("tok-a") != token_digest("tok-b")
