"""Work queues (回访任务): my callbacks, accept, release; a manager's view and reassignment."""

from __future__ import annotations

from fastapi import APIRouter
from huifang_infra.auth import CurrentPrincipal

from huifang_dispatch.adapters import callbacks
from huifang_dispatch.domain.worklist import OPEN_STATES
from huifang_dispatch.entrypoints.deps import Ctx, Db, Manager, Reader, Tx
from huifang_dispatch.entrypoints.present import callback_out
from huifang_dispatch.entrypoints.schemas import CallbackOut, EstateQueue, MyQueue, ReassignIn
from huifang_dispatch.service_layer.scope import check_estate, check_row

router = APIRouter(tags=["queue 回访任务"])


@router.get("/me/callbacks")
async def my_callbacks(principal: CurrentPrincipal, ctx: Ctx, conn: Tx) -> MyQueue:
    """The caller's open callbacks: overdue, due today, upcoming (today = the estate's day)."""
    now = ctx.clock()
    queue = MyQueue(staff_id=principal.sub, overdue=[], due_today=[], upcoming=[])
    for row in await callbacks.for_assignee(conn, principal.scope_filter(), principal.sub):
        item = callback_out(row, now)
        getattr(queue, item.bucket or "upcoming").append(item)
    return queue


@router.get("/callbacks/{callback_id}")
async def get_callback(principal: CurrentPrincipal, ctx: Ctx, conn: Tx, callback_id: str) -> CallbackOut:
    """One callback with everything its caller needs."""
    return callback_out(check_row(principal, await callbacks.get_callback(conn, callback_id), "callback"), ctx.clock())


@router.post("/callbacks/{callback_id}/accept", status_code=204)
async def accept(principal: CurrentPrincipal, ctx: Ctx, db: Db, callback_id: str) -> None:
    """The holder accepts the callback."""
    await ctx.assignments.accept(db, principal, callback_id)


@router.post("/callbacks/{callback_id}/release")
async def release(principal: CurrentPrincipal, ctx: Ctx, db: Db, callback_id: str) -> dict[str, str]:
    """The holder gives it back; it goes to the next eligible person."""
    return {"assignee_id": await ctx.assignments.release(db, principal, callback_id)}


@router.post("/callbacks/{callback_id}/reassign", status_code=204)
async def reassign(principal: Manager, ctx: Ctx, db: Db, callback_id: str, body: ReassignIn) -> None:
    """A manager moves the callback to a named person (CallbackReassigned)."""
    await ctx.assignments.reassign(db, principal, callback_id, body.assignee_id)


@router.get("/estates/{estate_id}/callbacks")
async def estate_callbacks(
    principal: Reader, ctx: Ctx, conn: Tx, estate_id: str, department: str | None = None
) -> EstateQueue:
    """A manager's view: the estate's open callbacks (optionally one department's) and load per person."""
    check_estate(principal, estate_id)
    rows = await callbacks.for_estate(conn, principal.scope_filter(), estate_id, sorted(OPEN_STATES), department)
    load: dict[str, int] = {}
    for row in rows:
        load[row["assignee_id"]] = load.get(row["assignee_id"], 0) + 1
    now = ctx.clock()
    return EstateQueue(estate_id=estate_id, callbacks=[callback_out(r, now) for r in rows], load=load)


@router.get("/estates/{estate_id}/unassigned")
async def unassigned(principal: Reader, ctx: Ctx, conn: Tx, estate_id: str) -> list[CallbackOut]:
    """Callbacks nobody could take, with the reason; escalated to the escalation role."""
    check_estate(principal, estate_id)
    rows = await callbacks.for_estate(conn, principal.scope_filter(), estate_id, ["unassigned"], None)
    now = ctx.clock()
    return [callback_out(r, now) for r in rows]
