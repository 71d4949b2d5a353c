"""The ballot — one household's link — as a decider: issued, used once, cut short when its campaign closes.

Whether a link can be answered is `domain/ballots.py`'s rule (used wins, then expired, then a finished
campaign or callback); `decide` runs it on the ballot its stream folds to, so a second answer on one
token is refused by the stream itself, not only by the page that checked first. Whether the campaign or
the callback is still open is not the ballot's to know: it arrives in the command, read in the same
transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from huifang_survey.domain.ballots import CALLBACK, QUESTIONNAIRE, USABLE, Ballot
from huifang_survey.domain.errors import Conflict, InputInvalid, NotFound
from huifang_survey.domain.events import (
    BallotCutShort,
    BallotEvent,
    BallotImported,
    BallotIssued,
    BallotUsed,
    IssuedBallot,
)

STREAM_PREFIX = "ballot-"


def stream_id(token_digest: str) -> str:
    return f"{STREAM_PREFIX}{token_digest}"


@dataclass(frozen=True)
class IssueBallot:
    token_digest: str
    kind: str
    at: datetime
    expires_at: datetime
    campaign_id: str | None = None
    callback_id: str | None = None
    unit_id: str | None = None


@dataclass(frozen=True)
class UseBallot:
    at: datetime
    subject_open: bool  # the campaign or the callback the link answers is still open


@dataclass(frozen=True)
class CutShort:
    """The campaign closes at `at`: a link that would outlive it stops then."""

    at: datetime


BallotCommand = IssueBallot | UseBallot | CutShort


class BallotUnusable(Conflict):
    """The link was used, has expired or its campaign / callback is finished → the page says which."""

    def __init__(self, state: str) -> None:
        self.state = state
        super().__init__(f"the link is {state}")


def initial_state() -> IssuedBallot:
    return IssuedBallot()


def state_at(ballot: IssuedBallot, now: datetime, subject_open: bool) -> str:
    issued = ballot.issued
    if issued is None or ballot.expires_at is None:
        raise NotFound("ballot")
    return Ballot(issued.kind, ballot.expires_at, ballot.used_at, subject_open).state_at(now)


def decide(command: BallotCommand, state: IssuedBallot) -> list[BallotEvent]:
    if isinstance(command, IssueBallot):
        if state.issued is not None:
            raise Conflict("a ballot with this token exists already")
        if command.kind not in (QUESTIONNAIRE, CALLBACK):
            raise InputInvalid("kind", f"{command.kind!r} is not questionnaire or callback")
        if (command.kind == QUESTIONNAIRE) != (command.campaign_id is not None) or (command.kind == CALLBACK) != (
            command.callback_id is not None
        ):
            raise InputInvalid("kind", "a questionnaire ballot names its campaign, a callback ballot its callback")
        c = command
        return [BallotIssued(c.token_digest, c.kind, c.at, c.expires_at, c.campaign_id, c.callback_id, c.unit_id)]
    if isinstance(command, UseBallot):
        found = state_at(state, command.at, command.subject_open)
        if found != USABLE:
            raise BallotUnusable(found)  # one answer per token; an expired or finished link takes none
        return [BallotUsed(command.at)]
    if state.issued is None or state.expires_at is None:
        raise NotFound("ballot")
    if state.used_at is not None or state.expires_at <= command.at:
        return []  # answered already, or over before the close: nothing is cut
    return [BallotCutShort(command.at)]


def evolve(state: IssuedBallot, event: BallotEvent) -> IssuedBallot:
    if isinstance(event, BallotIssued):
        return IssuedBallot(issued=event, expires_at=event.expires_at)
    if isinstance(event, BallotUsed):
        return replace(state, used_at=event.used_at)
    if isinstance(event, BallotCutShort):
        return replace(state, expires_at=event.expires_at)
    assert isinstance(event, BallotImported)
    return event.ballot
