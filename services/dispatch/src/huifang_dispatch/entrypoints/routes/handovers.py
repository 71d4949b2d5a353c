"""Shift handover (交接班) and its open items."""

from __future__ import annotations

from datetime import date

import asyncpg
from fastapi import APIRouter, status
from huifang_infra.auth import CurrentPrincipal

from huifang_dispatch.adapters import handovers
from huifang_dispatch.entrypoints.deps import Ctx, Db, Tx
from huifang_dispatch.entrypoints.schemas import HandoverIn, HandoverOut, ItemActionIn, ItemIn, ItemOut
from huifang_dispatch.service_layer.scope import check_estate, check_row

router = APIRouter(tags=["handover 交接班"])


def _item(row: asyncpg.Record) -> ItemOut:
    return ItemOut.model_validate({k: row[k] for k in ItemOut.model_fields})


async def _handover(conn: Tx, row: asyncpg.Record) -> HandoverOut:
    carried = [_item(r) for r in await handovers.carried(conn, row["handover_id"])]
    return HandoverOut(carried=carried, **{k: row[k] for k in HandoverOut.model_fields if k != "carried"})


@router.post("/handovers", status_code=status.HTTP_201_CREATED)
async def hand_over(principal: CurrentPrincipal, ctx: Ctx, db: Db, conn: Tx, body: HandoverIn) -> HandoverOut:
    """The outgoing person hands over and signs; open items carry over (409 on an open important one)."""
    handover_id = await ctx.handovers.hand_over(db, principal, body)
    return await _handover(conn, await handovers.get_handover(conn, handover_id))  # type: ignore[arg-type]


@router.post("/handovers/{handover_id}/sign")
async def take_over(principal: CurrentPrincipal, ctx: Ctx, db: Db, conn: Tx, handover_id: str) -> HandoverOut:
    """The incoming person signs; the handover is complete."""
    await ctx.handovers.take_over(db, principal, handover_id)
    return await _handover(conn, await handovers.get_handover(conn, handover_id))  # type: ignore[arg-type]


@router.get("/handovers/{handover_id}")
async def get_handover(principal: CurrentPrincipal, conn: Tx, handover_id: str) -> HandoverOut:
    """One handover with the items it carried."""
    return await _handover(conn, check_row(principal, await handovers.get_handover(conn, handover_id), "handover"))


@router.get("/handovers")
async def list_handovers(
    principal: CurrentPrincipal, conn: Tx, estate_id: str, since: date | None = None
) -> list[HandoverOut]:
    """An estate's handovers, newest first."""
    check_estate(principal, estate_id)
    return [
        await _handover(conn, r) for r in await handovers.list_handovers(conn, principal.group_id, estate_id, since)
    ]


@router.post("/handover-items", status_code=status.HTTP_201_CREATED)
async def add_item(
    principal: CurrentPrincipal,
    ctx: Ctx,
    db: Db,
    conn: Tx,
    estate_id: str,
    body: ItemIn,
    service_center: str = "main",
) -> ItemOut:
    """Open an item during the shift; it stays on every handover until closed."""
    item_id = await ctx.handovers.add_item(db, principal, estate_id, service_center, body)
    return _item(await handovers.get_item(conn, item_id))  # type: ignore[arg-type]


@router.get("/handover-items")
async def open_items(
    principal: CurrentPrincipal, conn: Tx, estate_id: str, service_center: str = "main"
) -> list[ItemOut]:
    """Items not yet closed, oldest first."""
    check_estate(principal, estate_id)
    return [_item(r) for r in await handovers.open_items(conn, principal.group_id, estate_id, service_center)]


@router.post("/handover-items/{item_id}/close", status_code=204)
async def close_item(principal: CurrentPrincipal, ctx: Ctx, db: Db, item_id: str, body: ItemActionIn) -> None:
    """Close an item; it stops carrying over."""
    await ctx.handovers.act_on_item(db, principal, item_id, "close", body)


@router.post("/handover-items/{item_id}/escalate", status_code=204)
async def escalate_item(principal: CurrentPrincipal, ctx: Ctx, db: Db, item_id: str, body: ItemActionIn) -> None:
    """Escalate an item to a supervisor; an escalated important item no longer blocks a handover."""
    await ctx.handovers.act_on_item(db, principal, item_id, "escalate", body)
