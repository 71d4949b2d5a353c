"""The duty log (值班记录): append-only entries, corrections that reference, the daily sign-off."""

from __future__ import annotations

from datetime import date

import asyncpg
from fastapi import APIRouter, status
from huifang_infra.auth import CurrentPrincipal

from huifang_dispatch.adapters.estates import estate_zone
from huifang_dispatch.entrypoints.deps import Ctx, Db, Supervisor, Tx
from huifang_dispatch.entrypoints.present import local_time
from huifang_dispatch.entrypoints.schemas import DutyLogEntryOut, DutyLogIn, SignOffIn

router = APIRouter(prefix="/duty-log", tags=["duty log 值班记录"])


async def _out(conn: Tx, row: asyncpg.Record) -> DutyLogEntryOut:
    tz = await estate_zone(conn, row["estate_id"])
    return DutyLogEntryOut(
        entry_id=row["entry_id"],
        estate_id=row["estate_id"],
        service_center=row["service_center"],
        duty_date=row["duty_date"],
        kind=row["kind"],
        author_id=row["author_id"],
        body=row["body"],
        corrects_entry_id=row["corrects_entry_id"],
        corrected_by=list(row["corrected_by"]) if "corrected_by" in row else [],
        recorded_at=local_time(row["recorded_at"], tz),
    )


@router.post("", status_code=status.HTTP_201_CREATED)
async def write_entry(principal: CurrentPrincipal, ctx: Ctx, db: Db, conn: Tx, body: DutyLogIn) -> DutyLogEntryOut:
    """Append an entry (or a correction of an earlier one) to the current duty day."""
    return await _out(conn, await ctx.duty_log.write(db, principal, body))


@router.post("/sign-off", status_code=status.HTTP_201_CREATED)
async def sign_off(principal: Supervisor, ctx: Ctx, db: Db, conn: Tx, body: SignOffIn) -> DutyLogEntryOut:
    """The supervisor's daily signature under a duty day's log."""
    return await _out(conn, await ctx.duty_log.sign_off(db, principal, body))


@router.get("")
async def read_log(
    principal: CurrentPrincipal,
    ctx: Ctx,
    conn: Tx,
    estate_id: str,
    service_center: str = "main",
    duty_date: date | None = None,
) -> list[DutyLogEntryOut]:
    """A duty day's entries in order, each with the corrections that reference it."""
    rows = await ctx.duty_log.read_day(conn, principal, estate_id, service_center, duty_date)
    return [await _out(conn, r) for r in rows]
