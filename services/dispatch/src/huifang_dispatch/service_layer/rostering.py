"""R-OP-3: making and publishing monthly rosters, leave and swaps with a supervisor's approval."""

from __future__ import annotations

import uuid
from datetime import date, datetime

import asyncpg
from huifang_infra.auth import Principal
from huifang_infra.db import Connection

from huifang_dispatch.adapters import rosters, staff
from huifang_dispatch.adapters.estates import estate_zone
from huifang_dispatch.domain.duty import duty_date_at, duty_window
from huifang_dispatch.domain.errors import Conflict, Forbidden, InputInvalid
from huifang_dispatch.domain.roles import SUPERVISORS
from huifang_dispatch.domain.roster import check_month_not_over, check_shifts_in_month, published_late, uncovered_days
from huifang_dispatch.entrypoints.schemas import RosterChangeIn, RosterIn
from huifang_dispatch.service_layer.context import Context
from huifang_dispatch.service_layer.scope import check_estate, check_row


async def _check_people(conn: Connection, principal: Principal, estate_id: str, people: set[str], field: str) -> None:
    for staff_id in sorted(people):
        row = await staff.get_staff(conn, staff_id)
        if row is None or row["group_id"] != principal.group_id or row["estate_id"] != estate_id:
            raise InputInvalid(field, f"{staff_id} is not a staff member of estate {estate_id}")
        if not row["active"]:
            raise InputInvalid(field, f"{staff_id} is inactive")


async def save_roster(ctx: Context, conn: Connection, principal: Principal, body: RosterIn) -> asyncpg.Record:
    """Create the month's draft, or replace the shifts of a draft not yet published."""
    check_estate(principal, body.estate_id)
    tz = await estate_zone(conn, body.estate_id)
    check_month_not_over(body.month, ctx.clock(), tz)
    shifts = [(day, person) for day, people in body.shifts.items() for person in dict.fromkeys(people)]
    check_shifts_in_month(body.month, shifts)
    await _check_people(conn, principal, body.estate_id, {p for _d, p in shifts}, "shifts")
    roster_id = f"ros-{body.estate_id}-{body.service_center}-{body.month}"
    await rosters.insert_roster(
        conn, roster_id, principal.group_id, body.estate_id, body.service_center, body.month, principal.sub
    )
    roster = check_row(principal, await rosters.get_roster(conn, roster_id, lock=True), "roster")
    if roster["status"] == "published":
        raise Conflict("the roster is published; change it through leave or swap requests")
    await rosters.replace_shifts(conn, roster, shifts)
    return roster


async def publish(ctx: Context, conn: Connection, principal: Principal, roster_id: str) -> None:
    roster = check_row(principal, await rosters.get_roster(conn, roster_id, lock=True), "roster")
    if roster["status"] == "published":
        raise Conflict("already published")
    missing = uncovered_days(roster["month"], await rosters.roster_shifts(conn, roster_id))
    if missing:
        raise InputInvalid("shifts", "24-h duty leaves no day uncovered: " + ", ".join(d.isoformat() for d in missing))
    tz = await estate_zone(conn, roster["estate_id"])
    now = ctx.clock()
    await rosters.publish(conn, roster_id, principal.sub, now, published_late(roster["month"], now, tz))


async def request_change(ctx: Context, conn: Connection, principal: Principal, body: RosterChangeIn) -> str:
    """Leave or a swap, asked by the person concerned or a supervisor; it counts once approved."""
    roster = check_row(principal, await rosters.get_roster(conn, body.roster_id), "roster")
    if principal.sub != body.staff_id and principal.role not in SUPERVISORS:
        raise Forbidden("you may ask leave or a swap only for yourself")
    if body.kind == "swap" and (body.substitute_id is None or body.swap_date is None):
        raise InputInvalid("swap_date", "a swap names the other person and the day they give in return")
    people = {body.staff_id} | ({body.substitute_id} if body.substitute_id else set())
    await _check_people(conn, principal, roster["estate_id"], people, "substitute_id")
    change_id = f"chg-{uuid.uuid4().hex[:12]}"
    await rosters.insert_change(
        conn,
        body.model_dump()
        | {
            "change_id": change_id,
            "group_id": roster["group_id"],
            "estate_id": roster["estate_id"],
            "requested_by": principal.sub,
        },
    )
    return change_id


async def decide_change(ctx: Context, conn: Connection, principal: Principal, change_id: str, approve: bool) -> None:
    """R-OP-3: no swap or leave before a supervisor approves (未批准前，不允许私自调班)."""
    change = check_row(principal, await rosters.get_change(conn, change_id, lock=True), "roster change")
    if change["status"] != "requested":
        raise Conflict(f"already {change['status']}")
    await rosters.decide_change(conn, change_id, "approved" if approve else "rejected", principal.sub, ctx.clock())


async def on_duty_at(
    conn: Connection, principal: Principal, estate_id: str, at: datetime
) -> tuple[date, datetime, datetime, list[str]]:
    """Who is on the 24-h roster at `at` (07:00 still belongs to the previous day's duty)."""
    check_estate(principal, estate_id)
    tz = await estate_zone(conn, estate_id)
    day = duty_date_at(at, tz)
    facts = await rosters.duty_facts_on(conn, principal.group_id, estate_id, day)
    start, end = duty_window(day, tz)
    return day, start, end, sorted(facts.on_duty)
