"""Work orders (派工单): one endpoint per command, and the reads."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from huifang_contracts.enums import Channel, RequestKind
from huifang_infra.auth import CurrentPrincipal
from huifang_infra.db import Connection
from pydantic import AwareDatetime

from huifang_intake.adapters.queries import RecordFilter
from huifang_intake.domain.orders import OrderStatus, WorkOrder, create_order, record_closed_order
from huifang_intake.domain.phones import normalise_phone
from huifang_intake.entrypoints import schemas as s
from huifang_intake.entrypoints.deps import IdempotencyKey, Writer, check_estate, intake_of
from huifang_intake.entrypoints.idempotency import run_command, run_creation
from huifang_intake.entrypoints.reading import MAX_PAGE_SIZE, read_one, read_page
from huifang_intake.entrypoints.views import created

router = APIRouter(prefix="/orders", tags=["派工单 Work orders"])


def new_order(group_id: str, body: s.OrderCreate, status: OrderStatus, **extra: Any) -> WorkOrder:
    fields = body.model_dump(exclude={"order_id", "requester_phone"})
    fields.update(extra)
    return WorkOrder(
        group_id=group_id,
        order_id=body.order_id or f"WO-{uuid.uuid4().hex[:12]}",
        status=status,
        requester_phone=normalise_phone(body.requester_phone),
        **fields,
    )


@router.post("", status_code=201, summary="报修登记 Create a work order")
async def create(request: Request, body: s.OrderCreate, principal: Writer, key: IdempotencyKey = None) -> JSONResponse:
    check_estate(principal, body.estate_id)

    async def build(_: Connection) -> WorkOrder:
        return new_order(principal.group_id, body, OrderStatus.CREATED)

    return await run_creation(request, principal, key, body, "order", build, create_order)


@router.post("/closed", status_code=201, summary="录入已关闭工单 Record an order closed elsewhere")
async def record_closed(
    request: Request, body: s.ClosedOrderRecord, principal: Writer, key: IdempotencyKey = None
) -> JSONResponse:
    check_estate(principal, body.estate_id)

    async def build(_: Connection) -> WorkOrder:
        return new_order(principal.group_id, body, OrderStatus.CLOSED)

    return await run_creation(request, principal, key, body, "order", build, record_closed_order)


async def _command(
    request: Request, principal: Any, key: str | None, order_id: str, body: Any, decide: Any
) -> JSONResponse:
    async def work(conn: Connection) -> tuple[int, dict[str, Any]]:
        estates = principal.scope_filter().estate_ids
        order = await intake_of(request).change(conn, principal.group_id, "order", order_id, decide, estate_ids=estates)
        return 200, created("order", order)

    return await run_command(request, principal, key, body, work)


@router.post("/{order_id}/dispatch", summary="派工 Dispatch to a department")
async def dispatch(
    request: Request, order_id: str, body: s.OrderDispatch, principal: Writer, key: IdempotencyKey = None
) -> JSONResponse:
    return await _command(
        request, principal, key, order_id, body, lambda o: o.dispatch(body.department, body.dispatched_at)
    )


@router.post("/{order_id}/complete", summary="完工 Record completion")
async def complete(
    request: Request, order_id: str, body: s.OrderComplete, principal: Writer, key: IdempotencyKey = None
) -> JSONResponse:
    return await _command(
        request, principal, key, order_id, body,
        lambda o: o.complete(body.worker_id, body.materials, body.fee_cents, body.completed_at),
    )  # fmt: skip


@router.post("/{order_id}/sign-off", summary="业主签认 Requester signs the completed order")
async def sign_off(
    request: Request, order_id: str, body: s.OrderSignOff, principal: Writer, key: IdempotencyKey = None
) -> JSONResponse:
    return await _command(request, principal, key, order_id, body, lambda o: o.sign_off(body.signed_off_at))


@router.post("/{order_id}/close", summary="关闭工单 Close (publishes OrderClosed)")
async def close(
    request: Request, order_id: str, body: s.OrderClose, principal: Writer, key: IdempotencyKey = None
) -> JSONResponse:
    return await _command(request, principal, key, order_id, body, lambda o: o.close(body.closed_at))


@router.get("", summary="工单列表 Orders, filtered and paged")
async def list_orders(
    request: Request,
    principal: CurrentPrincipal,
    estate_id: str | None = None,
    status: OrderStatus | None = None,
    kind: RequestKind | None = None,
    channel: Channel | None = None,
    category: str | None = None,
    date_from: Annotated[AwareDatetime | None, Query(alias="from")] = None,
    date_to: Annotated[AwareDatetime | None, Query(alias="to")] = None,
    page: Annotated[int, Query(ge=1)] = 1,
    page_size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
) -> dict[str, Any]:
    filters = RecordFilter(status=status, kind=kind, channel=channel, category=category,
                           opened_from=date_from, opened_to=date_to)  # fmt: skip
    return await read_page(request, principal, "order", estate_id, filters, page, page_size)


@router.get("/{order_id}", summary="工单详情与全部记录 One order with its full history")
async def get_order(request: Request, order_id: str, principal: CurrentPrincipal) -> dict[str, Any]:
    return await read_one(request, principal, "order", order_id)
