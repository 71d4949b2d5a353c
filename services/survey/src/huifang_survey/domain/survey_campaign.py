"""The questionnaire campaign as a decider: opened, ballots issued, questionnaires returned, closed.

The rules are those of `domain/campaign.py` (returned ≤ issued, three-level answers on the campaign's
dimensions, overall required — R-SV-1 … R-SV-4); `decide` runs them on the campaign its stream folds
to and says what happened as events.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime

from huifang_contracts.enums import CallbackMethod

from huifang_survey.domain.campaign import Campaign
from huifang_survey.domain.errors import Conflict, InputInvalid, NotFound
from huifang_survey.domain.events import (
    BallotsIssued,
    CampaignClosed,
    CampaignEvent,
    CampaignImported,
    CampaignOpened,
    QuestionnaireAccepted,
    SurveyCampaign,
)

STREAM_PREFIX = "campaign-"
#: Names the id of each campaign's `SurveyCampaignOpened`, so a rebuild finds the same one.
_OPENED_NAMESPACE = uuid.UUID("3c0f7d52-8a44-4e0e-9d5b-2f1f0b6f7a21")


def stream_id(campaign_id: str) -> str:
    return f"{STREAM_PREFIX}{campaign_id}"


@dataclass(frozen=True)
class OpenCampaign:
    campaign: Campaign  # defined and checked by `define_campaign`, its paper ballots issued
    at: datetime


@dataclass(frozen=True)
class IssueBallots:
    paper_count: int
    online_units: tuple[str, ...]
    at: datetime


@dataclass(frozen=True)
class ReturnQuestionnaire:
    questionnaire_id: str
    channel: CallbackMethod
    answers: Mapping[str, object]
    returned_at: datetime
    at: datetime
    unit_id: str | None = None
    answer_comments: Mapping[str, str] = field(default_factory=dict)
    comments: str | None = None


@dataclass(frozen=True)
class CloseCampaign:
    at: datetime


CampaignCommand = OpenCampaign | IssueBallots | ReturnQuestionnaire | CloseCampaign


def initial_state() -> SurveyCampaign:
    return SurveyCampaign()


def campaign_of(state: SurveyCampaign) -> Campaign:
    """The campaign the stream folds to, as the rules' own (mutable) object: a fresh copy each time."""
    o = state.opened
    if o is None:
        raise NotFound("campaign not opened")
    return Campaign(
        o.campaign_id, o.title, o.kind, o.channels, o.dimensions, o.opens_at, o.closes_at,
        state.issued_count, state.returned_count, state.status,
    )  # fmt: skip


def decide(command: CampaignCommand, state: SurveyCampaign) -> list[CampaignEvent]:
    if isinstance(command, OpenCampaign):
        c = command.campaign
        if state.opened is not None:
            raise Conflict(f"campaign {c.campaign_id} exists already")
        opened_event_id = uuid.uuid5(_OPENED_NAMESPACE, c.campaign_id)
        return [
            CampaignOpened(
                c.campaign_id, c.title, c.kind, c.channels, c.dimensions, c.opens_at, c.closes_at, c.issued_count,
                opened_event_id, command.at,
            )
        ]  # fmt: skip
    campaign = campaign_of(state)
    if isinstance(command, IssueBallots):
        units = command.online_units
        if units and CallbackMethod.ONLINE not in campaign.channels:
            raise InputInvalid("unit_ids", "this campaign has no online channel")
        if len(set(units)) != len(units):
            raise InputInvalid("unit_ids", "a household is listed twice")
        count = len(units) + command.paper_count
        campaign.issue(count)
        return [BallotsIssued(count, command.at)]
    if isinstance(command, ReturnQuestionnaire):
        if command.channel not in campaign.channels:
            raise InputInvalid("channel", f"{command.channel.value} is not a channel of this campaign")
        answers = campaign.accept(command.answers, command.answer_comments, command.returned_at)
        return [
            QuestionnaireAccepted(
                command.questionnaire_id, command.channel, tuple(answers), command.returned_at, command.at,
                command.unit_id, command.comments,
            )
        ]  # fmt: skip
    campaign.close()
    return [CampaignClosed(campaign.issued_count, campaign.returned_count, command.at)]


def evolve(state: SurveyCampaign, event: CampaignEvent) -> SurveyCampaign:
    if isinstance(event, CampaignOpened):
        return SurveyCampaign(opened=event, issued_count=event.issued_count)
    if isinstance(event, BallotsIssued):
        return replace(state, issued_count=state.issued_count + event.count)
    if isinstance(event, QuestionnaireAccepted):
        return replace(state, returned_count=state.returned_count + 1)
    if isinstance(event, CampaignClosed):
        return replace(state, status="closed")
    assert isinstance(event, CampaignImported)
    return event.campaign
