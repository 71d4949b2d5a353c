"""The campaign repository: its decider, codec, projection and outgoing events, wired once."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from huifang_infra.db import Connection
from huifang_infra.decider import Decider
from huifang_infra.event_codec import EventCodec
from huifang_infra.outbox import Outbox
from huifang_infra.repository import Decided, Repository

from huifang_survey.adapters.campaigns import write_campaigns
from huifang_survey.domain import survey_campaign as sc
from huifang_survey.domain.events import CAMPAIGN_EVENTS, CampaignEvent, SurveyCampaign
from huifang_survey.service_layer.outgoing import campaign_published

CampaignRepository = Repository[sc.CampaignCommand, SurveyCampaign, CampaignEvent]

survey_campaign: Decider[sc.CampaignCommand, SurveyCampaign, CampaignEvent] = Decider(
    sc.initial_state, sc.decide, sc.evolve
)


def campaign_codec() -> EventCodec[CampaignEvent]:
    return EventCodec(CAMPAIGN_EVENTS)


async def project_campaigns(conn: Connection, decided: Sequence[Decided[Any, SurveyCampaign, Any]]) -> None:
    await write_campaigns(conn, [(d.cause.group_id, d.cause.estate_id or "", d.events, d.state) for d in decided])


def campaign_repository(outbox: Outbox | None) -> CampaignRepository:
    return Repository(
        survey_campaign, campaign_codec(), outbox=outbox, project=project_campaigns, publish=campaign_published
    )
