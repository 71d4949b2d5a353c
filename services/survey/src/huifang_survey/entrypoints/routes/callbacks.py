"""Callback records: contacts (attempts, ratings, new issues), the caller's queue, one callback's history."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, HTTPException, Request, Response
from huifang_infra.auth import CurrentPrincipal, Role, require_scope
from huifang_infra.db import transaction
from huifang_infra.idempotency import request_hash

from huifang_survey.adapters import views
from huifang_survey.domain.callback import Contact, NewIssue
from huifang_survey.domain.errors import NotFound
from huifang_survey.entrypoints.deps import SurveyDep
from huifang_survey.entrypoints.schemas import ContactIn, ScaleIn
from huifang_survey.entrypoints.submissions import answer_once
from huifang_survey.service_layer.contacts import record_contact

router = APIRouter(tags=["回访记录 callback records"])

SCALE_SETTERS = {Role.office_manager, Role.property_director, Role.quality_dept, Role.admin}


@router.post("/callbacks/{callback_id}/contacts", status_code=201)
async def post_contact(
    callback_id: str,
    body: ContactIn,
    principal: CurrentPrincipal,
    survey: SurveyDep,
    request: Request,
    response: Response,
    idempotency_key: Annotated[str | None, Header(max_length=128)] = None,
) -> dict[str, Any]:
    """Record one contact; the same submission id or Idempotency-Key twice gives one record."""
    now = survey.clock()
    contact = Contact(
        caller_id=principal.sub,
        result=body.result,
        method=body.method,
        contacted_at=body.contacted_at or now,
        recorded_at=now,
        answered_by=body.answered_by,
        relation=body.relation,
        duration_seconds=body.duration_seconds,
        ratings=body.ratings,
        comments=body.comments,
        suggestions=body.suggestions,
        note=body.note,
        new_issues=tuple(NewIssue(i.description, i.category, i.subcategory) for i in body.new_issues),
    )
    key = body.submission_id or idempotency_key
    async with transaction(survey.runtime.pool) as conn:

        async def work() -> tuple[int, dict[str, Any]]:
            return 201, await record_contact(conn, survey.repos.records, principal, callback_id, contact)

        return await answer_once(
            conn, response, principal, key, f"contact:{callback_id}", work, same_request=request_hash(request, body)
        )


@router.get("/callbacks")
async def list_callbacks(
    principal: CurrentPrincipal, survey: SurveyDep, status: str | None = "open", mine: bool = False
) -> list[dict[str, Any]]:
    """Callbacks in the caller's estates (optionally only theirs), soonest deadline first."""
    async with survey.runtime.pool.acquire() as conn:
        return await views.callbacks(conn, principal, status=status, assignee=principal.sub if mine else None)


@router.get("/callbacks/{callback_id}")
async def get_callback(callback_id: str, principal: CurrentPrincipal, survey: SurveyDep) -> dict[str, Any]:
    """One callback: what it requires, its attempts and its record, times also in the estate's zone."""
    async with survey.runtime.pool.acquire() as conn:
        found = await views.callback(conn, principal, callback_id)
    if found is None:
        raise NotFound(f"callback {callback_id}")
    return found


@router.put("/estates/{estate_id}/callback-scale")
async def put_callback_scale(
    estate_id: str, body: ScaleIn, principal: CurrentPrincipal, survey: SurveyDep
) -> dict[str, str]:
    """The scale this estate's callback forms use when the callback names none (R-SV-3)."""
    require_scope(principal, principal.group_id, estate_id)
    if principal.role not in SCALE_SETTERS:
        raise HTTPException(403, detail=f"role {principal.role} may not set the scale")
    async with transaction(survey.runtime.pool) as conn:
        await conn.execute(
            """INSERT INTO estates (group_id, estate_id, name, callback_scale) VALUES ($1, $2, $2, $3)
               ON CONFLICT (group_id, estate_id) DO UPDATE SET callback_scale = EXCLUDED.callback_scale""",
            principal.group_id,
            estate_id,
            body.scale.value,
        )
    return {"estate_id": estate_id, "scale": body.scale.value, "label_zh": body.scale.label_zh}
