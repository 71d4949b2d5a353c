"""R-OP-3: shift handover — the outgoing person signs on creating it, the incoming one on taking over."""

from __future__ import annotations

import uuid

import asyncpg
from huifang_infra.auth import Principal
from huifang_infra.db import Connection

from huifang_dispatch.adapters import handovers, staff
from huifang_dispatch.adapters.estates import estate_zone
from huifang_dispatch.domain.duty import duty_date_at
from huifang_dispatch.domain.errors import InputInvalid
from huifang_dispatch.domain.handover import (
    OpenItem,
    carried_over,
    check_can_hand_over,
    check_incoming_signature,
    check_item_transition,
)
from huifang_dispatch.entrypoints.schemas import HandoverIn, ItemActionIn, ItemIn
from huifang_dispatch.service_layer.context import Context
from huifang_dispatch.service_layer.scope import check_estate, check_row


def _open(rows: list[asyncpg.Record]) -> list[OpenItem]:
    return [OpenItem(r["item_id"], r["important"], r["status"]) for r in rows]


async def add_item(
    ctx: Context,
    conn: Connection,
    principal: Principal,
    estate_id: str,
    center: str,
    item: ItemIn,
    handover_id: str | None = None,
) -> str:
    check_estate(principal, estate_id)
    item_id = f"itm-{uuid.uuid4().hex[:12]}"
    await handovers.insert_item(
        conn,
        item.model_dump()
        | {
            "item_id": item_id,
            "group_id": principal.group_id,
            "estate_id": estate_id,
            "service_center": center,
            "opened_by": principal.sub,
            "opened_at": ctx.clock(),
            "opened_in": handover_id,
        },
    )
    return item_id


async def hand_over(ctx: Context, conn: Connection, principal: Principal, body: HandoverIn) -> str:
    """The caller hands over (and signs); refused while an important item is open and not escalated."""
    check_estate(principal, body.estate_id)
    incoming = await staff.get_staff(conn, body.incoming_id)
    if incoming is None or incoming["group_id"] != principal.group_id or incoming["estate_id"] != body.estate_id:
        raise InputInvalid("incoming_id", "not a staff member of this estate")
    if body.incoming_id == principal.sub:
        raise InputInvalid("incoming_id", "the incoming person is someone else")
    waiting = await handovers.open_items(conn, principal.group_id, body.estate_id, body.service_center, lock=True)
    new = [OpenItem(f"new:{i}", item.important, "open") for i, item in enumerate(body.new_items)]
    check_can_hand_over(_open(waiting) + new)
    now = ctx.clock()
    handover_id = f"hov-{uuid.uuid4().hex[:12]}"
    tz = await estate_zone(conn, body.estate_id)
    await handovers.insert_handover(
        conn,
        {
            "handover_id": handover_id,
            "group_id": principal.group_id,
            "estate_id": body.estate_id,
            "service_center": body.service_center,
            "duty_date": duty_date_at(now, tz),
            "outgoing_id": principal.sub,
            "incoming_id": body.incoming_id,
            "notes": body.notes,
            "outgoing_signed_at": now,
        },
    )
    for item in body.new_items:
        await add_item(ctx, conn, principal, body.estate_id, body.service_center, item, handover_id)
    rows = await handovers.open_items(conn, principal.group_id, body.estate_id, body.service_center)
    await handovers.record_carried(conn, handover_id, [(i.item_id, i.status) for i in carried_over(_open(rows))])
    return handover_id


async def take_over(ctx: Context, conn: Connection, principal: Principal, handover_id: str) -> None:
    """The incoming person signs; the important-item rule is checked again at that moment."""
    handover = check_row(principal, await handovers.get_handover(conn, handover_id, lock=True), "handover")
    check_incoming_signature(handover["status"], handover["incoming_id"], principal.sub)
    rows = await handovers.open_items(conn, handover["group_id"], handover["estate_id"], handover["service_center"])
    check_can_hand_over(_open(rows))
    await handovers.sign_incoming(conn, handover_id, ctx.clock())


async def act_on_item(
    ctx: Context, conn: Connection, principal: Principal, item_id: str, action: str, body: ItemActionIn
) -> None:
    item = check_row(principal, await handovers.get_item(conn, item_id, lock=True), "item")
    if action == "close":
        check_item_transition(item["status"], "closed")
        await handovers.close_item(conn, item_id, principal.sub, ctx.clock(), body.note)
        return
    check_item_transition(item["status"], "escalated")
    if not body.escalated_to:
        raise InputInvalid("escalated_to", "name the supervisor it goes to")
    await handovers.escalate_item(conn, item_id, body.escalated_to, principal.sub, ctx.clock(), body.note)
