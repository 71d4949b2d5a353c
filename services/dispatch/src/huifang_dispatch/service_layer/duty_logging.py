"""R-OP-3: writing the duty log (值班记录) — entries, corrections that reference, the daily sign-off."""

from __future__ import annotations

from datetime import date

import asyncpg
from huifang_infra.auth import Principal
from huifang_infra.db import Connection

from huifang_dispatch.adapters import duty_log
from huifang_dispatch.adapters.estates import estate_zone
from huifang_dispatch.domain.duty import duty_date_at
from huifang_dispatch.domain.errors import Conflict, InputInvalid
from huifang_dispatch.entrypoints.schemas import DutyLogIn, SignOffIn
from huifang_dispatch.service_layer.context import Context
from huifang_dispatch.service_layer.scope import check_estate


async def write(ctx: Context, conn: Connection, principal: Principal, body: DutyLogIn) -> asyncpg.Record:
    """An entry in the current duty day; a correction names the entry it corrects (never edits it)."""
    check_estate(principal, body.estate_id)
    if body.corrects_entry_id is not None:
        old = await duty_log.get_entry(conn, body.corrects_entry_id)
        if (
            old is None
            or old["group_id"] != principal.group_id
            or old["estate_id"] != body.estate_id
            or old["service_center"] != body.service_center
        ):
            raise InputInvalid("corrects_entry_id", "no such entry in this service center's log")
        if old["kind"] == "sign_off":
            raise InputInvalid("corrects_entry_id", "a sign-off is not corrected; write a new entry")
    tz = await estate_zone(conn, body.estate_id)
    return await duty_log.append(
        conn,
        group_id=principal.group_id,
        estate_id=body.estate_id,
        service_center=body.service_center,
        duty_date=duty_date_at(ctx.clock(), tz),
        kind="entry" if body.corrects_entry_id is None else "correction",
        author_id=principal.sub,
        author_role=principal.role.value,
        body=body.body,
        corrects_entry_id=body.corrects_entry_id,
    )


async def sign_off(ctx: Context, conn: Connection, principal: Principal, body: SignOffIn) -> asyncpg.Record:
    """The supervisor checks and signs a duty day's log, once (检查值班记录并签名确认)."""
    check_estate(principal, body.estate_id)
    tz = await estate_zone(conn, body.estate_id)
    if body.duty_date > duty_date_at(ctx.clock(), tz):
        raise InputInvalid("duty_date", "a duty day that has not begun cannot be signed")
    try:
        async with conn.transaction():
            return await duty_log.append(
                conn,
                group_id=principal.group_id,
                estate_id=body.estate_id,
                service_center=body.service_center,
                duty_date=body.duty_date,
                kind="sign_off",
                author_id=principal.sub,
                author_role=principal.role.value,
                body=body.body,
            )
    except asyncpg.UniqueViolationError:
        raise Conflict(f"the log of {body.duty_date.isoformat()} is already signed") from None


async def read_day(
    ctx: Context, conn: Connection, principal: Principal, estate_id: str, service_center: str, day: date | None
) -> list[asyncpg.Record]:
    check_estate(principal, estate_id)
    if day is None:
        day = duty_date_at(ctx.clock(), await estate_zone(conn, estate_id))
    return await duty_log.day_entries(conn, principal.group_id, estate_id, service_center, day)
