"""Survey's repositories, one per aggregate, built once by the composition root around the outbox."""

from __future__ import annotations

from dataclasses import dataclass

from huifang_infra.outbox import Outbox

from huifang_survey.service_layer.ballot_streams import BallotRepository, ballot_repository
from huifang_survey.service_layer.campaign_streams import CampaignRepository, campaign_repository
from huifang_survey.service_layer.records import RecordRepository, record_repository


@dataclass(frozen=True)
class Repositories:
    outbox: Outbox
    records: RecordRepository
    campaigns: CampaignRepository
    ballots: BallotRepository


def repositories(outbox: Outbox) -> Repositories:
    return Repositories(
        outbox=outbox,
        records=record_repository(outbox),
        campaigns=campaign_repository(outbox),
        ballots=ballot_repository(),
    )
