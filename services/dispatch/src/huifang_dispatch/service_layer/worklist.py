"""Commands and queries over the queues: accept, release, reassign; my queue, an estate's queue."""

from __future__ import annotations

import asyncpg
from huifang_contracts.enums import CallbackMethod, ReassignReason, StaffRole
from huifang_infra.auth import Principal
from huifang_infra.db import Connection

from huifang_dispatch.adapters import callbacks, staff
from huifang_dispatch.domain.errors import Conflict, Forbidden, InputInvalid
from huifang_dispatch.domain.worklist import OPEN_STATES
from huifang_dispatch.service_layer.assignment import assign, hand_to, requirement_of
from huifang_dispatch.service_layer.context import Context
from huifang_dispatch.service_layer.placing import wanted_role
from huifang_dispatch.service_layer.scope import check_row


async def _locked(conn: Connection, principal: Principal, callback_id: str) -> asyncpg.Record:
    return check_row(principal, await callbacks.lock_callback(conn, callback_id), "callback")


async def accept(ctx: Context, conn: Connection, principal: Principal, callback_id: str) -> None:
    """The holder takes it on; it stays theirs until completed, failed, released or reassigned."""
    row = await _locked(conn, principal, callback_id)
    if row["assignee_id"] != principal.sub or row["status"] not in OPEN_STATES:
        raise Forbidden("only the person holding the callback accepts it")
    if row["status"] == "accepted":
        raise Conflict("already accepted")
    await callbacks.set_status(conn, callback_id, "accepted", accepted_at=ctx.clock())


async def release(ctx: Context, conn: Connection, principal: Principal, callback_id: str) -> str:
    """The holder gives it back; the next eligible person gets it (never the holder again)."""
    row = await _locked(conn, principal, callback_id)
    if row["assignee_id"] != principal.sub or row["status"] not in OPEN_STATES:
        raise Forbidden("only the person holding the callback releases it")
    requirement = requirement_of(
        row, wanted_role(row) if row["overdue"] else StaffRole(row["assignee_role"]), frozenset({principal.sub})
    )
    placement = await assign(
        ctx, conn, row, requirement, ctx.clock(), by=principal.sub, reason=ReassignReason.STAFF_UNAVAILABLE
    )
    if placement.reason is not None:
        # Survey must always know who holds an assigned callback: with nobody to take it, it stays.
        raise Conflict(f"no one else can take it ({placement.reason.label_zh}); ask a manager to reassign")
    assert placement.assignee_id is not None
    return placement.assignee_id


async def reassign(ctx: Context, conn: Connection, principal: Principal, callback_id: str, assignee_id: str) -> None:
    """A manager's choice of person; role and roster are theirs to judge, the hard rules still hold."""
    row = await _locked(conn, principal, callback_id)
    if row["status"] not in (*OPEN_STATES, "unassigned", "scheduled"):
        raise Conflict(f"the callback is {row['status']}")
    target = await staff.get_staff(conn, assignee_id, lock=True)
    if target is None or target["group_id"] != row["group_id"] or target["estate_id"] != row["estate_id"]:
        raise InputInvalid("assignee_id", "not a staff member of the callback's estate")
    if not target["active"]:
        raise InputInvalid("assignee_id", "this staff member is inactive")
    if assignee_id == row["worker_id"]:
        raise InputInvalid("assignee_id", "the worker who did the original job may not call back on it")
    if row["method"] == CallbackMethod.DOOR.value and not target["door_visits"]:
        raise InputInvalid("assignee_id", "this staff member does not do door visits")
    if row["assignee_id"] == assignee_id and row["status"] in OPEN_STATES:
        raise Conflict("the callback is already theirs")
    await hand_to(
        ctx,
        conn,
        row,
        assignee_id,
        StaffRole(target["role"]),
        ctx.clock(),
        by=principal.sub,
        reason=ReassignReason.MANUAL,
    )
