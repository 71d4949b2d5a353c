"""Placing one callback in one queue, inside the caller's transaction (consumer poll or HTTP request).

Lock order is always the callback row, then the candidates of one role in id order; two consumer
instances, the retry loop and a manager's reassignment therefore serialise on the same rows and each
sees the load the other added — nobody is overloaded by a race.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import asyncpg
from huifang_contracts.dispatch import CallbackAssigned, CallbackReassigned
from huifang_contracts.enums import CallbackMethod, ReassignReason, RequestKind, StaffRole
from huifang_contracts.envelope import Envelope
from huifang_infra.db import Connection

from huifang_dispatch.adapters import callbacks, rosters, staff
from huifang_dispatch.adapters.estates import zone_named
from huifang_dispatch.domain.duty import duty_date_at
from huifang_dispatch.domain.eligibility import Candidate, Requirement, UnassignedReason, choose_assignee
from huifang_dispatch.service_layer.context import Context
from huifang_dispatch.service_layer.outgoing import PRODUCER


@dataclass(frozen=True)
class Placement:
    """How one attempt ended: the assignee, or the reason nobody could take it."""

    assignee_id: str | None
    reason: UnassignedReason | None = None


def requirement_of(row: asyncpg.Record, role: StaffRole, excluded: frozenset[str] = frozenset()) -> Requirement:
    return Requirement(
        role=role,
        method=CallbackMethod(row["method"]),
        kind=RequestKind(row["kind"]) if row["kind"] else None,
        department=row["department"],
        worker_id=row["worker_id"],
        excluded=excluded,
    )


async def choose(
    conn: Connection, row: asyncpg.Record, requirement: Requirement, at: datetime
) -> Candidate | UnassignedReason:
    """Lock the role's candidates and pick the least-loaded eligible one (R-CB-3, R-OP-3)."""
    duty_date = duty_date_at(at, zone_named(row["timezone"]))
    facts = await rosters.duty_facts_on(conn, row["group_id"], row["estate_id"], duty_date)
    locked = await staff.lock_candidates(conn, row["group_id"], row["estate_id"], requirement.role.value)
    candidates = [
        Candidate(
            staff_id=r["staff_id"],
            role=StaffRole(r["role"]),
            department=r["department"],
            door_visits=r["door_visits"],
            active=r["active"],
            working=facts.working(r["staff_id"], StaffRole(r["role"])),
            open_load=r["open_load"],
            assigned_today=r["assigned_today"] if r["assigned_day"] == duty_date else 0,
        )
        for r in locked
    ]
    return choose_assignee(requirement, candidates)


async def assign(
    ctx: Context,
    conn: Connection,
    row: asyncpg.Record,
    requirement: Requirement,
    at: datetime,
    *,
    cause: Envelope | None = None,
    by: str | None = None,
    reason: ReassignReason | None = None,
) -> Placement:
    """Give the callback (locked, with its estate's `timezone`) to the least-loaded eligible person and
    publish it; or say why nobody can take it."""
    chosen = await choose(conn, row, requirement, at)
    if isinstance(chosen, UnassignedReason):
        return Placement(None, chosen)
    await hand_to(ctx, conn, row, chosen.staff_id, chosen.role, at, cause=cause, by=by, reason=reason)
    return Placement(chosen.staff_id)


async def hand_to(
    ctx: Context,
    conn: Connection,
    row: asyncpg.Record,
    staff_id: str,
    role: StaffRole,
    at: datetime,
    *,
    cause: Envelope | None = None,
    by: str | None = None,
    reason: ReassignReason | None = None,
) -> None:
    """Move the load, update the callback, write CallbackAssigned or CallbackReassigned to the outbox."""
    tz = zone_named(row["timezone"])
    previous = row["assignee_id"] if row["status"] in ("assigned", "accepted") else None
    if previous:
        await staff.drop_load(conn, previous)
    await staff.add_load(conn, staff_id, duty_date_at(at, tz))
    await callbacks.set_assigned(conn, row["callback_id"], staff_id, role.value, at)
    event: CallbackAssigned | CallbackReassigned
    if previous:
        event = CallbackReassigned(
            callback_id=row["callback_id"],
            previous_assignee_id=previous,
            assignee_id=staff_id,
            assignee_role=role,
            reason=reason or ReassignReason.MANUAL,
            reassigned_by=by,
            deadline=row["deadline"],
        )
    else:
        event = CallbackAssigned(
            callback_id=row["callback_id"],
            assignee_id=staff_id,
            assignee_role=role,
            assigned_by=by,
            deadline=row["deadline"],
        )
    envelope = Envelope.wrap_caused_by(
        event, cause, group_id=row["group_id"], estate_id=row["estate_id"], aggregate_id=row["callback_id"],
        producer=PRODUCER, occurred_at=at, recorded_at=at,
    )  # fmt: skip
    await ctx.outbox.add(conn, [envelope])
