"""The corrective action (R-SV-5) as a decider: required once, acknowledged by the estate, verified once.

`decide` refuses what the notice's state does not allow (the API's 404 / 409) and returns no event for a
notice required again — the month closed a second time, by the loop, a request or another instance —
so each estate, month and KPI gets exactly one notice (its id is derived from them, `targets.action_id`).
Verification does not wait for an acknowledgement: the quality department may check a notice the
estate never answered.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from huifang_reporting.domain.errors import AlreadyAcknowledged, AlreadyVerified, NotFound
from huifang_reporting.domain.events import (
    Acknowledgement,
    ActionAcknowledged,
    ActionEvent,
    ActionImported,
    ActionRequired,
    ActionVerified,
    CorrectiveAction,
    Notice,
    Verification,
)

STREAM_PREFIX = "corrective-action-"


def stream_id(action_id: str) -> str:
    return f"{STREAM_PREFIX}{action_id}"


@dataclass(frozen=True)
class RequireAction:
    notice: Notice


@dataclass(frozen=True)
class AcknowledgeAction:
    action_id: str
    by: str
    at: datetime
    note: str | None = None


@dataclass(frozen=True)
class VerifyAction:
    action_id: str
    by: str
    at: datetime
    effective: bool
    actual_percent: float | None = None
    note: str | None = None


ActionCommand = RequireAction | AcknowledgeAction | VerifyAction


def initial_state() -> CorrectiveAction:
    return CorrectiveAction()


def decide(command: ActionCommand, state: CorrectiveAction) -> list[ActionEvent]:
    if isinstance(command, RequireAction):
        # R-SV-5: one notice per estate, month and KPI — a second close decides nothing.
        return [] if state.notice is not None else [ActionRequired(command.notice)]
    if state.notice is None:
        raise NotFound(f"no corrective action {command.action_id}")
    if state.verification is not None:
        raise AlreadyVerified(f"{command.action_id} was verified at {state.verification.at.isoformat()}")
    if isinstance(command, AcknowledgeAction):
        if state.acknowledgement is not None:
            raise AlreadyAcknowledged(f"{command.action_id} was acknowledged at {state.acknowledgement.at.isoformat()}")
        return [ActionAcknowledged(Acknowledgement(command.by, command.at, command.note))]
    verification = Verification(command.by, command.at, command.effective, command.actual_percent, command.note)
    return [ActionVerified(verification)]


def evolve(state: CorrectiveAction, event: ActionEvent) -> CorrectiveAction:
    if isinstance(event, ActionRequired):
        return replace(state, notice=event.notice)
    if isinstance(event, ActionAcknowledged):
        return replace(state, acknowledgement=event.acknowledgement)
    if isinstance(event, ActionVerified):
        return replace(state, verification=event.verification)
    assert isinstance(event, ActionImported)
    return event.action  # a row of before the streams: its whole state at once
