"""Other service requests (咨询/求助/其他服务, special events) and renovation completions."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from huifang_contracts.enums import RequestKind
from huifang_infra.auth import CurrentPrincipal
from huifang_infra.db import Connection

from huifang_intake.domain.requests import Renovation, RequestStatus, ServiceRequest, open_request, record_renovation
from huifang_intake.entrypoints import schemas as s
from huifang_intake.entrypoints.deps import IdempotencyKey, Writer, check_estate
from huifang_intake.entrypoints.idempotency import run_change, run_creation
from huifang_intake.entrypoints.new_record import record_from
from huifang_intake.entrypoints.reading import Paging, read_one, read_page

router = APIRouter(tags=["其他报事 Service requests"])


@router.post("/service-requests", status_code=201, summary="报事登记 Open a consultation, help or other service")
async def open_(request: Request, body: s.RequestOpen, principal: Writer, key: IdempotencyKey = None) -> JSONResponse:
    check_estate(principal, body.estate_id)

    async def build(_: Connection) -> ServiceRequest:
        return record_from(ServiceRequest, body, principal.group_id, "request_id", "SR")

    return await run_creation(request, principal, key, body, "request", build, open_request)


@router.post("/service-requests/{request_id}/close", summary="关闭 Close (publishes ServiceRequestClosed)")
async def close(
    request: Request, request_id: str, body: s.RequestClose, principal: Writer, key: IdempotencyKey = None
) -> JSONResponse:
    return await run_change(
        request, principal, key, body, "request", request_id,
        lambda r: r.close(body.closed_at, body.special_event, body.result),
    )  # fmt: skip


@router.post("/renovations", status_code=201, summary="装修完工 Record a renovation completion (R-CB-6)")
async def renovation(
    request: Request, body: s.RenovationRecord, principal: Writer, key: IdempotencyKey = None
) -> JSONResponse:
    check_estate(principal, body.estate_id)

    async def build(_: Connection) -> Renovation:
        return record_from(Renovation, body, principal.group_id, "renovation_id", "RN")

    return await run_creation(request, principal, key, body, "renovation", build, record_renovation)


@router.get("/service-requests", summary="报事列表 Service requests, filtered and paged")
async def list_requests(
    request: Request,
    principal: CurrentPrincipal,
    paging: Paging,
    status: RequestStatus | None = None,
    kind: RequestKind | None = None,
) -> dict[str, Any]:
    return await read_page(request, principal, "request", paging, status=status, kind=kind)


@router.get("/service-requests/{request_id}", summary="报事详情 One request with its history")
async def get_request(request: Request, request_id: str, principal: CurrentPrincipal) -> dict[str, Any]:
    return await read_one(request, principal, "request", request_id)


@router.get("/renovations/{renovation_id}", summary="装修完工详情 One renovation completion")
async def get_renovation(request: Request, renovation_id: str, principal: CurrentPrincipal) -> dict[str, Any]:
    return await read_one(request, principal, "renovation", renovation_id)
