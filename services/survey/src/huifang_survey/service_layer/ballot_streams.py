"""The ballot repository: its decider, codec and projection, wired once. A ballot publishes nothing."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from huifang_infra.db import Connection
from huifang_infra.decider import Decider
from huifang_infra.event_codec import EventCodec
from huifang_infra.repository import Decided, Repository

from huifang_survey.adapters.ballot_rows import write_ballots
from huifang_survey.domain import issued_ballot as ib
from huifang_survey.domain.events import BALLOT_EVENTS, BallotEvent, IssuedBallot

BallotRepository = Repository[ib.BallotCommand, IssuedBallot, BallotEvent]

issued_ballot: Decider[ib.BallotCommand, IssuedBallot, BallotEvent] = Decider(ib.initial_state, ib.decide, ib.evolve)


def ballot_codec() -> EventCodec[BallotEvent]:
    return EventCodec(BALLOT_EVENTS)


async def project_ballots(conn: Connection, decided: Sequence[Decided[Any, IssuedBallot, Any]]) -> None:
    await write_ballots(conn, [(d.cause.group_id, d.cause.estate_id or "", d.state) for d in decided])


def ballot_repository() -> BallotRepository:
    """No outbox: what a household answers goes out as the questionnaire's or the callback's event."""
    return Repository(issued_ballot, ballot_codec(), project=project_ballots)
