"""What happens to a callback that should be in a queue: placed, queued unassigned, or escalated."""

from __future__ import annotations

from datetime import datetime

import asyncpg
from huifang_contracts.enums import ReassignReason, StaffRole
from huifang_contracts.envelope import Envelope
from huifang_infra.db import Connection

from huifang_dispatch.adapters import callbacks
from huifang_dispatch.service_layer.assignment import Placement, assign, requirement_of
from huifang_dispatch.service_layer.context import Context


def wanted_role(row: asyncpg.Record) -> StaffRole:
    """The role a waiting callback needs: the escalation role once overdue, else the one it asked for."""
    if row["overdue"] and row["escalated_to_role"]:
        return StaffRole(row["escalated_to_role"])
    return StaffRole(row["caller_role"])


async def place_or_queue(
    ctx: Context, conn: Connection, row: asyncpg.Record, at: datetime, *, cause: Envelope | None = None
) -> Placement:
    """R-CB-3: assign now; nobody eligible → the unassigned queue with the reason, escalated."""
    placement = await assign(ctx, conn, row, requirement_of(row, wanted_role(row)), at, cause=cause)
    if placement.reason is not None:
        await callbacks.set_unassigned(conn, row["callback_id"], placement.reason.value, at)
        # Escalated: it shows in the escalation role's view of the estate until someone can take it.
        escalate_to = row["escalated_to_role"] or ctx.escalation_role.value
        await callbacks.set_escalated(conn, row["callback_id"], escalate_to, at, None)
    return placement


async def escalate_overdue(
    ctx: Context, conn: Connection, row: asyncpg.Record, role: StaffRole, at: datetime, cause: Envelope
) -> Placement:
    """An overdue callback goes to the escalation role; its current holder is not chosen again."""
    holder = row["assignee_id"] if row["status"] in ("assigned", "accepted") else None
    await callbacks.set_status(conn, row["callback_id"], row["status"], overdue=True)
    if holder and row["assignee_role"] == role.value:
        await callbacks.set_escalated(conn, row["callback_id"], role.value, at, None)
        return Placement(holder)  # already with the escalation role
    excluded = frozenset({holder}) if holder else frozenset()
    placement = await assign(
        ctx, conn, row, requirement_of(row, role, excluded), at, cause=cause, reason=ReassignReason.OVERDUE_ESCALATION
    )
    if placement.reason is None:
        await callbacks.set_escalated(conn, row["callback_id"], role.value, at, None)
    elif holder:
        # Nobody of the escalation role can take it: it stays with its holder, flagged, with the reason.
        await callbacks.set_escalated(conn, row["callback_id"], role.value, at, placement.reason.value)
    else:
        await callbacks.set_unassigned(conn, row["callback_id"], placement.reason.value, at)
        await callbacks.set_escalated(conn, row["callback_id"], role.value, at, None)
    return placement
