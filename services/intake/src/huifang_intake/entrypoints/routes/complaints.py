"""Complaints (投诉): registration, judgement, follow-ups, pause/resume, resolution; and the reads."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from huifang_contracts.enums import Channel, ComplaintGrade, ComplaintStatus, ComplaintValidity
from huifang_infra.auth import CurrentPrincipal
from huifang_infra.db import Connection

from huifang_intake.domain.complaints import Complaint, register_complaint
from huifang_intake.entrypoints import schemas as s
from huifang_intake.entrypoints.deps import IdempotencyKey, Writer, check_estate, intake_of
from huifang_intake.entrypoints.idempotency import run_change, run_creation
from huifang_intake.entrypoints.new_record import record_from
from huifang_intake.entrypoints.reading import Paging, read_one, read_page

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
        return record_from(
            Complaint, body, principal.group_id, "complaint_id", "CP", category=category, subcategory=subcategory
        )

    return await run_creation(request, principal, key, body, "complaint", build, register_complaint)


@router.post("/{complaint_id}/judge", summary="判定有效性 Judge validity (and grade)")
async def judge(
    request: Request, complaint_id: str, body: s.ComplaintJudge, principal: Writer, key: IdempotencyKey = None
) -> JSONResponse:
    return await run_change(
        request, principal, key, body, "complaint", complaint_id, lambda c: c.judge(body.validity, body.grade, body.at)
    )


@router.post("/{complaint_id}/follow-ups", summary="跟进记录 Add a follow-up (at most five)")
async def follow_up(
    request: Request, complaint_id: str, body: s.FollowUpAdd, principal: Writer, key: IdempotencyKey = None
) -> JSONResponse:
    return await run_change(
        request, principal, key, body, "complaint", complaint_id, lambda c: c.add_follow_up(body.note, body.by, body.at)
    )


@router.post("/{complaint_id}/pause", summary="暂停 Pause")
async def pause(
    request: Request, complaint_id: str, body: s.ComplaintPause, principal: Writer, key: IdempotencyKey = None
) -> JSONResponse:
    return await run_change(
        request, principal, key, body, "complaint", complaint_id, lambda c: c.pause(body.reason, body.at)
    )


@router.post("/{complaint_id}/resume", summary="恢复处理 Resume")
async def resume(
    request: Request, complaint_id: str, body: s.At, principal: Writer, key: IdempotencyKey = None
) -> JSONResponse:
    return await run_change(request, principal, key, body, "complaint", complaint_id, lambda c: c.resume(body.at))


@router.post("/{complaint_id}/resolve", summary="处理完毕 Resolve, requester accepted (publishes ComplaintResolved)")
async def resolve(
    request: Request, complaint_id: str, body: s.ComplaintResolve, principal: Writer, key: IdempotencyKey = None
) -> JSONResponse:
    return await run_change(
        request, principal, key, body, "complaint", complaint_id,
        lambda c: c.resolve(
            result=body.result, validity=body.validity, department=body.department,
            accepted_by_requester=body.accepted_by_requester, special_event=body.special_event, at=body.resolved_at,
        ),
    )  # fmt: skip


@router.get("", summary="投诉列表 Complaints, filtered and paged")
async def list_complaints(
    request: Request,
    principal: CurrentPrincipal,
    paging: Paging,
    status: ComplaintStatus | None = None,
    grade: ComplaintGrade | None = None,
    validity: ComplaintValidity | None = None,
    channel: Channel | None = None,
    category: str | None = None,
) -> dict[str, Any]:
    return await read_page(
        request, principal, "complaint", paging,
        status=status, grade=grade, validity=validity, channel=channel, category=category,
    )  # fmt: skip


@router.get("/{complaint_id}", summary="投诉详情与全部记录 One complaint with its full history")
async def get_complaint(request: Request, complaint_id: str, principal: CurrentPrincipal) -> dict[str, Any]:
    return await read_one(request, principal, "complaint", complaint_id)
