"""Questionnaire campaigns (意见征询, R-SV-1): open per estate, issue ballots, record returns, close, report."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any
from uuid import uuid4

from fastapi import APIRouter, Depends, Header, Request, Response
from huifang_infra.auth import Principal, Role, require_role, require_scope
from huifang_infra.db import transaction
from huifang_infra.idempotency import request_hash

from huifang_survey.domain.campaign import define_campaign
from huifang_survey.entrypoints.deps import SurveyDep
from huifang_survey.entrypoints.schemas import BallotsIn, CampaignIn, QuestionnaireIn
from huifang_survey.entrypoints.submissions import answer_once
from huifang_survey.service_layer import campaigns as service

router = APIRouter(tags=["问卷征询 questionnaire campaigns"])

Organiser = Annotated[
    Principal,
    Depends(require_role(Role.office_manager, Role.property_director, Role.quality_dept, Role.admin)),
]
Clerk = Annotated[
    Principal,
    Depends(
        require_role(
            Role.receptionist, Role.service_center_staff, Role.office_manager, Role.property_director,
            Role.quality_dept, Role.admin,
        )
    ),
]  # fmt: skip


@router.post("/campaigns", status_code=201)
async def open_campaigns(body: CampaignIn, principal: Organiser, survey: SurveyDep) -> list[dict[str, Any]]:
    """Open one campaign per estate listed, each publishing SurveyCampaignOpened."""
    for estate_id in body.estate_ids:
        require_scope(principal, principal.group_id, estate_id)
    base = body.campaign_id or f"cp-{uuid4().hex[:12]}"
    now = survey.clock()
    opened = []
    async with transaction(survey.runtime.pool) as conn:
        for estate_id in dict.fromkeys(body.estate_ids):
            campaign_id = base if len(body.estate_ids) == 1 else f"{base}-{estate_id}"
            campaign = define_campaign(
                campaign_id, body.title, body.kind, body.channels, body.dimensions, body.opens_at, body.closes_at
            )
            campaign.issue(body.issued_count)
            opened.append(await service.open_campaign(conn, survey.repos, campaign, principal.group_id, estate_id, now))
    return opened


@router.get("/campaigns")
async def list_campaigns(principal: Clerk, survey: SurveyDep, status: str | None = None) -> list[dict[str, Any]]:
    """Campaigns of the caller's estates, newest first."""
    scope = principal.scope_filter()
    async with survey.runtime.pool.acquire() as conn:
        rows = await conn.fetch(
            """SELECT campaign_id FROM campaigns WHERE group_id = $1 AND ($2::text[] IS NULL OR estate_id = ANY($2))
               AND ($3::text IS NULL OR status = $3) ORDER BY opens_at DESC LIMIT 200""",
            scope.group_id,
            scope.estate_ids,
            status,
        )
        return [await service.campaign_report(conn, principal, r["campaign_id"]) for r in rows]


@router.get("/campaigns/{campaign_id}")
async def get_campaign(campaign_id: str, principal: Clerk, survey: SurveyDep) -> dict[str, Any]:
    """Issued, returned, return rate and item satisfaction so far (R-SV-4)."""
    async with survey.runtime.pool.acquire() as conn:
        return await service.campaign_report(conn, principal, campaign_id)


@router.post("/campaigns/{campaign_id}/ballots", status_code=201)
async def issue_ballots(campaign_id: str, body: BallotsIn, principal: Clerk, survey: SurveyDep) -> dict[str, Any]:
    """Issue ballots: per-household links (online) and paper ones; both count as issued."""
    s = survey.settings
    async with transaction(survey.runtime.pool) as conn:
        return await service.issue_ballots(
            conn, survey.repos, principal, campaign_id, body.unit_ids, body.paper_count, survey.clock(),
            timedelta(days=s.ballot_ttl_days), survey.new_token, s.public_base_url,
        )  # fmt: skip


@router.post("/campaigns/{campaign_id}/questionnaires", status_code=201)
async def return_questionnaire(
    campaign_id: str,
    body: QuestionnaireIn,
    principal: Clerk,
    survey: SurveyDep,
    request: Request,
    response: Response,
    idempotency_key: Annotated[str | None, Header(max_length=128)] = None,
) -> dict[str, Any]:
    """A returned paper or door questionnaire, entered by staff; idempotent by submission id."""
    now = survey.clock()
    async with transaction(survey.runtime.pool) as conn:

        async def work() -> tuple[int, dict[str, Any]]:
            result = await service.return_questionnaire(
                conn, survey.repos, principal, campaign_id, unit_id=body.unit_id, channel=body.channel,
                answers=body.answers, answer_comments=body.answer_comments, comments=body.comments,
                returned_at=body.returned_at or now, now=now,
            )  # fmt: skip
            return 201, result

        key = body.submission_id or idempotency_key
        resource, same = f"questionnaire:{campaign_id}", request_hash(request, body)
        return await answer_once(conn, response, principal, key, resource, work, same_request=same)


@router.post("/campaigns/{campaign_id}/close")
async def close_campaign(campaign_id: str, principal: Organiser, survey: SurveyDep) -> dict[str, Any]:
    """Close: no more returns, open links stop working; SurveyCampaignClosed carries the final counts."""
    async with transaction(survey.runtime.pool) as conn:
        return await service.close_campaign(conn, survey.repos, principal, campaign_id, survey.clock())
