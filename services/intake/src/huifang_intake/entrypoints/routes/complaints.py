"""Complaints (投诉): registration, judgement, follow-ups, pause/resume, resolution; and the reads."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from huifang_contracts.enums import Channel, ComplaintGrade, ComplaintStatus, ComplaintValidity
from huifang_infra.auth import CurrentPrincipal, Principal
from huifang_infra.db import Connection
from pydantic import AwareDatetime

from huifang_intake.adapters.queries import RecordFilter
from huifang_intake.domain.complaints import Complaint, register_complaint
from huifang_intake.domain.phones import normalise_phone
from huifang_intake.entrypoints import schemas as s
from huifang_intake.entrypoints.deps import IdempotencyKey, Writer, check_estate, intake_of
from huifang_intake.entrypoints.idempotency import run_command, run_creation
from huifang_intake.entrypoints.reading import MAX_PAGE_SIZE, read_one, read_page
from huifang_intake.entrypoints.views import created

router = APIRouter(prefix="/complaints", tags=["投诉 Complaints"])


@router.post("", status_code=201, summary="投诉登记 Register a complaint (publishes ComplaintRegistered)")
async def register(
    request: Request, body: s.ComplaintCreate, principal: Writer, key: IdempotencyKey = None
) -> JSONResponse:
    check_estate(principal, body.estate_id)
    intake = intake_of(request)

    async def build(conn: Connection) -> Complaint:
        await intake.known_estate(conn, principal.group_id, body.estate_id)
        category, subcategory = await intake.canonical_category(
            conn, principal.group_id, body.category, body.subcategory
        )
        fields = body.model_dump(exclude={"complaint_id", "requester_phone", "category", "subcategory"})
        return Complaint(
            group_id=principal.group_id,
            complaint_id=body.complaint_id or f"CP-{uuid.uuid4().hex[:12]}",
            requester_phone=normalise_phone(body.requester_phone),
            category=category,
            subcategory=subcategory,
            **fields,
        )

    return await run_creation(request, principal, key, body, "complaint", build, register_complaint)


async def _command(
    request: Request, principal: Principal, key: str | None, complaint_id: str, body: Any, decide: Any
) -> JSONResponse:
    async def work(conn: Connection) -> tuple[int, dict[str, Any]]:
        estates = principal.scope_filter().estate_ids
        complaint = await intake_of(request).change(
            conn, principal.group_id, "complaint", complaint_id, decide, estate_ids=estates
        )
        return 200, created("complaint", complaint)

    return await run_command(request, principal, key, body, work)


@router.post("/{complaint_id}/judge", summary="判定有效性 Judge validity (and grade)")
async def judge(
    request: Request, complaint_id: str, body: s.ComplaintJudge, principal: Writer, key: IdempotencyKey = None
) -> JSONResponse:
    return await _command(
        request, principal, key, complaint_id, body, lambda c: c.judge(body.validity, body.grade, body.at)
    )


@router.post("/{complaint_id}/follow-ups", summary="跟进记录 Add a follow-up (at most five)")
async def follow_up(
    request: Request, complaint_id: str, body: s.FollowUpAdd, principal: Writer, key: IdempotencyKey = None
) -> JSONResponse:
    return await _command(
        request, principal, key, complaint_id, body, lambda c: c.add_follow_up(body.note, body.by, body.at)
    )


@router.post("/{complaint_id}/pause", summary="暂停 Pause")
async def pause(
    request: Request, complaint_id: str, body: s.ComplaintPause, principal: Writer, key: IdempotencyKey = None
) -> JSONResponse:
    return await _command(request, principal, key, complaint_id, body, lambda c: c.pause(body.reason, body.at))


@router.post("/{complaint_id}/resume", summary="恢复处理 Resume")
async def resume(
    request: Request, complaint_id: str, body: s.At, principal: Writer, key: IdempotencyKey = None
) -> JSONResponse:
    return await _command(request, principal, key, complaint_id, body, lambda c: c.resume(body.at))


@router.post("/{complaint_id}/resolve", summary="处理完毕 Resolve, requester accepted (publishes ComplaintResolved)")
async def resolve(
    request: Request, complaint_id: str, body: s.ComplaintResolve, principal: Writer, key: IdempotencyKey = None
) -> JSONResponse:
    return await _command(
        request, principal, key, complaint_id, body,
        lambda c: c.resolve(
            result=body.result, validity=body.validity, department=body.department,
            accepted_by_requester=body.accepted_by_requester, special_event=body.special_event, at=body.resolved_at,
        ),
    )  # fmt: skip


@router.get("", summary="投诉列表 Complaints, filtered and paged")
async def list_complaints(
    request: Request,
    principal: CurrentPrincipal,
    estate_id: str | None = None,
    status: ComplaintStatus | None = None,
    grade: ComplaintGrade | None = None,
    validity: ComplaintValidity | None = None,
    channel: Channel | None = None,
    category: str | None = None,
    date_from: Annotated[AwareDatetime | None, Query(alias="from")] = None,
    date_to: Annotated[AwareDatetime | None, Query(alias="to")] = None,
    page: Annotated[int, Query(ge=1)] = 1,
    page_size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
) -> dict[str, Any]:
    filters = RecordFilter(status=status, grade=grade, validity=validity, channel=channel, category=category,
                           opened_from=date_from, opened_to=date_to)  # fmt: skip
    return await read_page(request, principal, "complaint", estate_id, filters, page, page_size)


@router.get("/{complaint_id}", summary="投诉详情与全部记录 One complaint with its full history")
async def get_complaint(request: Request, complaint_id: str, principal: CurrentPrincipal) -> dict[str, Any]:
    return await read_one(request, principal, "complaint", complaint_id)
