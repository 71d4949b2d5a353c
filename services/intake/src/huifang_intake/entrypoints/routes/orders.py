"""Work orders (派工单): one endpoint per command, and the reads."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from huifang_contracts.enums import Channel, RequestKind
from huifang_infra.auth import CurrentPrincipal
from huifang_infra.db import Connection

from huifang_intake.domain.orders import OrderStatus, WorkOrder, create_order, record_closed_order
from huifang_intake.entrypoints import schemas as s
from huifang_intake.entrypoints.deps import IdempotencyKey, Writer, check_estate
from huifang_intake.entrypoints.idempotency import run_change, run_creation
from huifang_intake.entrypoints.new_record import record_from
from huifang_intake.entrypoints.reading import Paging, read_one, read_page

router = APIRouter(prefix="/orders", tags=["派工单 Work orders"])


def new_order(group_id: str, body: s.OrderCreate, status: OrderStatus, **extra: Any) -> WorkOrder:
    return record_from(WorkOrder, body, group_id, "order_id", "WO", status=status, **extra)


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


@router.post("/{order_id}/dispatch", summary="派工 Dispatch to a department")
async def dispatch(
    request: Request, order_id: str, body: s.OrderDispatch, principal: Writer, key: IdempotencyKey = None
) -> JSONResponse:
    return await run_change(
        request, principal, key, body, "order", order_id, lambda o: o.dispatch(body.department, body.dispatched_at)
    )


@router.post("/{order_id}/complete", summary="完工 Record completion")
async def complete(
    request: Request, order_id: str, body: s.OrderComplete, principal: Writer, key: IdempotencyKey = None
) -> JSONResponse:
    return await run_change(
        request, principal, key, body, "order", order_id,
        lambda o: o.complete(body.worker_id, body.materials, body.fee_cents, body.completed_at),
    )  # fmt: skip


@router.post("/{order_id}/sign-off", summary="业主签认 Requester signs the completed order")
async def sign_off(
    request: Request, order_id: str, body: s.OrderSignOff, principal: Writer, key: IdempotencyKey = None
) -> JSONResponse:
    return await run_change(request, principal, key, body, "order", order_id, lambda o: o.sign_off(body.signed_off_at))


@router.post("/{order_id}/close", summary="关闭工单 Close (publishes OrderClosed)")
async def close(
    request: Request, order_id: str, body: s.OrderClose, principal: Writer, key: IdempotencyKey = None
) -> JSONResponse:
    return await run_change(request, principal, key, body, "order", order_id, lambda o: o.close(body.closed_at))


@router.get("", summary="工单列表 Orders, filtered and paged")
async def list_orders(
    request: Request,
    principal: CurrentPrincipal,
    paging: Paging,
    status: OrderStatus | None = None,
    kind: RequestKind | None = None,
    channel: Channel | None = None,
    category: str | None = None,
) -> dict[str, Any]:
    return await read_page(
        request, principal, "order", paging, status=status, kind=kind, channel=channel, category=category
    )


@router.get("/{order_id}", summary="工单详情与全部记录 One order with its full history")
async def get_order(request: Request, order_id: str, principal: CurrentPrincipal) -> dict[str, Any]:
    return await read_one(request, principal, "order", order_id)
