"""Campaign commands: open (per estate), issue ballots, record a returned questionnaire, close (R-SV-1, R-SV-4).

Each is decided on the campaign's stream `campaign-<id>` by its repository, in the request's transaction;
the campaign's row is locked first, so commands on one campaign run one after the other. Its online
ballots are streams of their own (`domain/issued_ballot.py`): issued with the campaign's ballots, cut
short when it closes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any
from uuid import uuid4

from huifang_contracts.enums import CallbackMethod, Satisfaction3
from huifang_infra.auth import Principal
from huifang_infra.db import Connection
from huifang_infra.repository import Cause, Command

from huifang_survey.adapters import campaigns as rows
from huifang_survey.adapters.ballot_rows import open_links_of
from huifang_survey.domain import issued_ballot as ib
from huifang_survey.domain import survey_campaign as sc
from huifang_survey.domain.ballots import QUESTIONNAIRE, token_digest
from huifang_survey.domain.campaign import Campaign
from huifang_survey.domain.errors import NotAssigned, NotFound
from huifang_survey.service_layer.repositories import Repositories


async def open_campaign(
    conn: Connection, repos: Repositories, campaign: Campaign, group_id: str, estate_id: str, now: datetime
) -> dict[str, Any]:
    cause = Cause(group_id=group_id, estate_id=estate_id)
    decided = await repos.campaigns.execute(
        conn, sc.stream_id(campaign.campaign_id), sc.OpenCampaign(campaign, now), cause
    )
    return summary(sc.campaign_of(decided.state), estate_id)


async def load_in_scope(
    conn: Connection, principal: Principal | None, campaign_id: str, *, lock: bool = True
) -> tuple[Campaign, Any]:
    """The campaign's row (locked: one command on a campaign at a time); 404 unknown, 403 outside the scope."""
    found = await rows.load(conn, campaign_id, lock=lock)
    if found is None:
        raise NotFound(f"campaign {campaign_id}")
    if principal is not None and not principal.can_see(found[1]["group_id"], found[1]["estate_id"]):
        raise NotAssigned(f"campaign {campaign_id} is outside your estates")
    return found


async def _decide(
    conn: Connection, repos: Repositories, principal: Principal | None, campaign_id: str, command: sc.CampaignCommand
) -> tuple[Campaign, Any]:
    _, row = await load_in_scope(conn, principal, campaign_id)
    actor = principal.sub if principal is not None else None
    cause = Cause(group_id=row["group_id"], estate_id=row["estate_id"], actor=actor)
    decided = await repos.campaigns.execute(conn, sc.stream_id(campaign_id), command, cause)
    return sc.campaign_of(decided.state), row


async def issue_ballots(
    conn: Connection, repos: Repositories, principal: Principal, campaign_id: str, unit_ids: list[str],
    paper_count: int, now: datetime, ttl: timedelta, new_token: Callable[[], str], base_url: str,
) -> dict[str, Any]:  # fmt: skip
    """Issued = paper + online; online ballots are per-household links (one answer per token)."""
    command = sc.IssueBallots(paper_count, tuple(unit_ids), now)
    campaign, row = await _decide(conn, repos, principal, campaign_id, command)
    expires = now + ttl if campaign.closes_at is None else min(now + ttl, campaign.closes_at)
    cause = Cause(row["group_id"], row["estate_id"], actor=principal.sub)
    links: list[dict[str, str]] = []
    issued: list[Command[ib.BallotCommand]] = []
    for unit_id in unit_ids:
        token = new_token()
        digest = token_digest(token)
        issue = ib.IssueBallot(digest, QUESTIONNAIRE, now, expires, campaign_id=campaign_id, unit_id=unit_id)
        issued.append(Command(ib.stream_id(digest), issue, cause))
        links.append(
            {"unit_id": unit_id, "url": f"{base_url.rstrip('/')}/s/{token}", "expires_at": expires.isoformat()}
        )
    await repos.ballots.execute_many(conn, issued)
    return summary(campaign, row["estate_id"]) | {"links": links}


async def return_questionnaire(
    conn: Connection, repos: Repositories, principal: Principal | None, campaign_id: str, *, unit_id: str | None,
    channel: CallbackMethod, answers: Mapping[str, object], answer_comments: Mapping[str, str],
    comments: str | None, returned_at: datetime, now: datetime,
) -> dict[str, Any]:  # fmt: skip
    questionnaire_id = f"q-{uuid4().hex}"
    command = sc.ReturnQuestionnaire(
        questionnaire_id, channel, answers, returned_at, now, unit_id, answer_comments, comments
    )
    campaign, row = await _decide(conn, repos, principal, campaign_id, command)
    return {"questionnaire_id": questionnaire_id} | summary(campaign, row["estate_id"])


async def close_campaign(
    conn: Connection, repos: Repositories, principal: Principal, campaign_id: str, now: datetime
) -> dict[str, Any]:
    campaign, row = await _decide(conn, repos, principal, campaign_id, sc.CloseCampaign(now))
    cause = Cause(row["group_id"], row["estate_id"], actor=principal.sub)
    cut_short: ib.BallotCommand = ib.CutShort(now)
    cut = [Command(ib.stream_id(d), cut_short, cause) for d in await open_links_of(conn, campaign_id, now)]
    await repos.ballots.execute_many(conn, cut)  # open links stop at the close
    return summary(campaign, row["estate_id"])


async def campaign_report(conn: Connection, principal: Principal, campaign_id: str) -> dict[str, Any]:
    """Counts and, per item, satisfaction = (满意 + 一般满意) / returned (R-SV-4)."""
    campaign, row = await load_in_scope(conn, principal, campaign_id, lock=False)
    counts = await rows.item_counts(conn, campaign_id)
    returned = campaign.returned_count
    items = {}
    for d in campaign.dimensions:
        c = counts.get(d.value, {})
        good = c.get(Satisfaction3.SATISFIED.value, 0) + c.get(Satisfaction3.FAIRLY_SATISFIED.value, 0)
        items[d.value] = {
            "label_zh": d.label_zh,
            "counts": {s.value: c.get(s.value, 0) for s in Satisfaction3},
            "satisfaction_percent": round(100 * good / returned, 2) if returned else None,
        }
    households = await conn.fetchval(
        "SELECT household_count FROM estates WHERE group_id = $1 AND estate_id = $2", row["group_id"], row["estate_id"]
    )
    # R-SV-1: functional groups survey at least 5 % of households a year; the share this campaign reached
    share = round(100 * campaign.issued_count / households, 2) if households else None
    return summary(campaign, row["estate_id"]) | {
        "items": items,
        "households": households,
        "household_share_percent": share,
    }


def summary(c: Campaign, estate_id: str) -> dict[str, Any]:
    return {
        "campaign_id": c.campaign_id,
        "estate_id": estate_id,
        "title": c.title,
        "kind": c.kind.value,
        "channels": [m.value for m in c.channels],
        "dimensions": [d.value for d in c.dimensions],
        "opens_at": c.opens_at.isoformat(),
        "closes_at": c.closes_at.isoformat() if c.closes_at else None,
        "status": c.status,
        "issued_count": c.issued_count,
        "returned_count": c.returned_count,
        "return_rate_percent": round(100 * c.returned_count / c.issued_count, 2) if c.issued_count else None,
    }
