"""Other service requests (咨询/求助/其他服务, special events) and renovation completions."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from huifang_contracts.enums import RequestKind
from huifang_infra.auth import CurrentPrincipal
from huifang_infra.db import Connection
from pydantic import AwareDatetime

from huifang_intake.adapters.queries import RecordFilter
from huifang_intake.domain.phones import normalise_phone
from huifang_intake.domain.requests import Renovation, RequestStatus, ServiceRequest, open_request, record_renovation
from huifang_intake.entrypoints import schemas as s
from huifang_intake.entrypoints.deps import IdempotencyKey, Writer, check_estate, intake_of
from huifang_intake.entrypoints.idempotency import run_command, run_creation
from huifang_intake.entrypoints.reading import MAX_PAGE_SIZE, read_one, read_page
from huifang_intake.entrypoints.views import created

router = APIRouter(tags=["其他报事 Service requests"])


@router.post("/service-requests", status_code=201, summary="报事登记 Open a consultation, help or other service")
async def open_(request: Request, body: s.RequestOpen, principal: Writer, key: IdempotencyKey = None) -> JSONResponse:
    check_estate(principal, body.estate_id)

    async def build(_: Connection) -> ServiceRequest:
        fields = body.model_dump(exclude={"request_id", "requester_phone"})
        return ServiceRequest(
            group_id=principal.group_id,
            request_id=body.request_id or f"SR-{uuid.uuid4().hex[:12]}",
            requester_phone=normalise_phone(body.requester_phone),
            **fields,
        )

    return await run_creation(request, principal, key, body, "request", build, open_request)


@router.post("/service-requests/{request_id}/close", summary="关闭 Close (publishes ServiceRequestClosed)")
async def close(
    request: Request, request_id: str, body: s.RequestClose, principal: Writer, key: IdempotencyKey = None
) -> JSONResponse:
    async def work(conn: Connection) -> tuple[int, dict[str, Any]]:
        req = await intake_of(request).change(
            conn, principal.group_id, "request", request_id,
            lambda r: r.close(body.closed_at, body.special_event, body.result),
            estate_ids=principal.scope_filter().estate_ids,
        )  # fmt: skip
        return 200, created("request", req)

    return await run_command(request, principal, key, body, work)


@router.post("/renovations", status_code=201, summary="装修完工 Record a renovation completion (R-CB-6)")
async def renovation(
    request: Request, body: s.RenovationRecord, principal: Writer, key: IdempotencyKey = None
) -> JSONResponse:
    check_estate(principal, body.estate_id)

    async def build(_: Connection) -> Renovation:
        fields = body.model_dump(exclude={"renovation_id", "requester_phone"})
        return Renovation(
            group_id=principal.group_id,
            renovation_id=body.renovation_id or f"RN-{uuid.uuid4().hex[:12]}",
            requester_phone=normalise_phone(body.requester_phone),
            **fields,
        )

    return await run_creation(request, principal, key, body, "renovation", build, record_renovation)


@router.get("/service-requests", summary="报事列表 Service requests, filtered and paged")
async def list_requests(
    request: Request,
    principal: CurrentPrincipal,
    estate_id: str | None = None,
    status: RequestStatus | None = None,
    kind: RequestKind | None = None,
    date_from: Annotated[AwareDatetime | None, Query(alias="from")] = None,
    date_to: Annotated[AwareDatetime | None, Query(alias="to")] = None,
    page: Annotated[int, Query(ge=1)] = 1,
    page_size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
) -> dict[str, Any]:
    filters = RecordFilter(status=status, kind=kind, opened_from=date_from, opened_to=date_to)
    return await read_page(request, principal, "request", estate_id, filters, page, page_size)


@router.get("/service-requests/{request_id}", summary="报事详情 One request with its history")
async def get_request(request: Request, request_id: str, principal: CurrentPrincipal) -> dict[str, Any]:
    return await read_one(request, principal, "request", request_id)


@router.get("/renovations/{renovation_id}", summary="装修完工详情 One renovation completion")
async def get_renovation(request: Request, renovation_id: str, principal: CurrentPrincipal) -> dict[str, Any]:
    return await read_one(request, principal, "renovation", renovation_id)
