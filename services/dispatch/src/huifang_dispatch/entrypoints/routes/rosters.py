"""Monthly duty rosters (值班安排表), leave and swaps, and "who is on duty at T"."""

from __future__ import annotations

from datetime import date, datetime

import asyncpg
from fastapi import APIRouter, status
from huifang_infra.auth import CurrentPrincipal
from pydantic import AwareDatetime

from huifang_dispatch.adapters import rosters
from huifang_dispatch.adapters.estates import estate_zone
from huifang_dispatch.entrypoints.deps import Ctx, Db, Supervisor, Tx
from huifang_dispatch.entrypoints.present import local_time
from huifang_dispatch.entrypoints.schemas import OnDutyOut, RosterChangeIn, RosterChangeOut, RosterIn, RosterOut
from huifang_dispatch.service_layer import rostering
from huifang_dispatch.service_layer.scope import check_estate, check_row

router = APIRouter(tags=["rosters 排班"])


async def _roster_out(conn: Tx, row: asyncpg.Record) -> RosterOut:
    shifts: dict[date, list[str]] = {}
    for day, person in await rosters.roster_shifts(conn, row["roster_id"]):
        shifts.setdefault(day, []).append(person)
    return RosterOut(shifts=shifts, **{k: row[k] for k in RosterOut.model_fields if k != "shifts"})


@router.put("/rosters", status_code=status.HTTP_200_OK)
async def save_roster(principal: Supervisor, ctx: Ctx, db: Db, conn: Tx, body: RosterIn) -> RosterOut:
    """Create or replace the draft roster of a service center's month."""
    roster_id = await ctx.rosters.save_roster(db, principal, body)
    return await _roster_out(conn, await rosters.get_roster(conn, roster_id))  # type: ignore[arg-type]


@router.post("/rosters/{roster_id}/publish", status_code=204)
async def publish_roster(principal: Supervisor, ctx: Ctx, db: Db, roster_id: str) -> None:
    """Publish: every day covered (24-h duty); after the month began it is marked late."""
    await ctx.rosters.publish(db, principal, roster_id)


@router.get("/rosters/{roster_id}")
async def get_roster(principal: CurrentPrincipal, conn: Tx, roster_id: str) -> RosterOut:
    """One roster with its shifts."""
    return await _roster_out(conn, check_row(principal, await rosters.get_roster(conn, roster_id), "roster"))


@router.get("/rosters")
async def list_rosters(
    principal: CurrentPrincipal, conn: Tx, estate_id: str | None = None, month: str | None = None
) -> list[RosterOut]:
    """Rosters of the caller's estates."""
    if estate_id is not None:
        check_estate(principal, estate_id)
    return [
        await _roster_out(conn, r) for r in await rosters.list_rosters(conn, principal.scope_filter(), estate_id, month)
    ]


@router.post("/roster-changes", status_code=status.HTTP_201_CREATED)
async def request_change(
    principal: CurrentPrincipal, ctx: Ctx, db: Db, conn: Tx, body: RosterChangeIn
) -> RosterChangeOut:
    """Ask for leave or a swap; it changes nothing until a supervisor approves."""
    change_id = await ctx.rosters.request_change(db, principal, body)
    return RosterChangeOut.model_validate(dict(await rosters.get_change(conn, change_id)))  # type: ignore[arg-type]


@router.post("/roster-changes/{change_id}/approve", status_code=204)
async def approve_change(principal: Supervisor, ctx: Ctx, db: Db, change_id: str) -> None:
    """A supervisor approves leave or a swap."""
    await ctx.rosters.decide_change(db, principal, change_id, approve=True)


@router.post("/roster-changes/{change_id}/reject", status_code=204)
async def reject_change(principal: Supervisor, ctx: Ctx, db: Db, change_id: str) -> None:
    """A supervisor refuses leave or a swap."""
    await ctx.rosters.decide_change(db, principal, change_id, approve=False)


@router.get("/estates/{estate_id}/on-duty")
async def on_duty(
    principal: CurrentPrincipal, ctx: Ctx, conn: Tx, estate_id: str, at: AwareDatetime | None = None
) -> OnDutyOut:
    """Who is on duty at `at` (default now); duty runs 08:30 → 08:30 estate-local."""
    instant: datetime = at or ctx.clock()
    day, start, end, people = await rostering.on_duty_at(conn, principal, estate_id, instant)
    tz = await estate_zone(conn, estate_id)
    return OnDutyOut(
        estate_id=estate_id, duty_date=day, starts=local_time(start, tz), ends=local_time(end, tz), staff_ids=people
    )
