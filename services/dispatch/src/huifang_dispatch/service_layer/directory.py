"""The staff directory: register, change, import from CSV; StaffRegistered for survey and reporting."""

from __future__ import annotations

import csv
import io
import uuid
from typing import Any

import asyncpg
from huifang_contracts.dispatch import StaffRegistered
from huifang_contracts.enums import StaffRole
from huifang_contracts.envelope import Envelope
from huifang_infra.auth import Principal
from huifang_infra.db import Connection
from pydantic import ValidationError

from huifang_dispatch.adapters import staff
from huifang_dispatch.domain.errors import Conflict, InputInvalid
from huifang_dispatch.entrypoints.schemas import StaffIn, StaffPatch
from huifang_dispatch.service_layer.context import Context
from huifang_dispatch.service_layer.outgoing import PRODUCER
from huifang_dispatch.service_layer.scope import check_estate, check_row

#: Facts other services keep about a person; a change to one of these is announced again.
ANNOUNCED = ("name", "role", "department", "phone")
CSV_TRUE = {"1", "true", "yes", "y", "是", "√"}


async def _announce(ctx: Context, conn: Connection, row: asyncpg.Record | dict[str, Any]) -> None:
    event = StaffRegistered(
        staff_id=row["staff_id"],
        name=row["name"],
        role=StaffRole(row["role"]),
        department=row["department"],
        phone=row["phone"],
    )
    now = ctx.clock()
    envelope = Envelope.wrap_caused_by(
        event, None, group_id=row["group_id"], estate_id=row["estate_id"], aggregate_id=row["staff_id"],
        producer=PRODUCER, occurred_at=now, recorded_at=now,
    )  # fmt: skip
    await ctx.outbox.add(conn, [envelope])


async def register(ctx: Context, conn: Connection, principal: Principal, data: StaffIn) -> asyncpg.Record:
    check_estate(principal, data.estate_id)
    row = data.model_dump(mode="json") | {"group_id": principal.group_id}
    row["staff_id"] = data.staff_id or f"stf-{uuid.uuid4().hex[:12]}"
    if not await staff.insert_staff(conn, row):
        raise Conflict(f"staff id {row['staff_id']} is taken")
    created = await staff.get_staff(conn, row["staff_id"])
    assert created is not None
    await _announce(ctx, conn, created)
    return created


async def change(
    ctx: Context, conn: Connection, principal: Principal, staff_id: str, patch: StaffPatch
) -> asyncpg.Record:
    current = check_row(principal, await staff.get_staff(conn, staff_id, lock=True), "staff")
    changes = patch.model_dump(mode="json", exclude_unset=True)
    await staff.update_staff(conn, staff_id, changes)
    updated = await staff.get_staff(conn, staff_id)
    assert updated is not None
    if any(current[f] != updated[f] for f in ANNOUNCED):
        await _announce(ctx, conn, updated)
    return updated


def parse_csv(text: str) -> list[StaffIn]:
    """Columns: staff_id, estate_id, name, role, department, phone, service_center, door_visits, active.
    Every row is checked before anything is written; the first bad one names its line and field."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))  # Excel writes a BOM before the header
    rows: list[StaffIn] = []
    for line, raw in enumerate(reader, start=2):
        values = {k.strip(): (v or "").strip() for k, v in raw.items() if k}
        data: dict[str, Any] = {k: v for k, v in values.items() if v != ""}
        for flag in ("door_visits", "active"):
            if flag in data:
                data[flag] = data[flag].lower() in CSV_TRUE
        try:
            rows.append(StaffIn.model_validate(data))
        except ValidationError as exc:
            error = exc.errors()[0]
            field = ".".join(str(p) for p in error["loc"]) or "row"
            raise InputInvalid(f"line {line}.{field}", error["msg"]) from None
    if not rows:
        raise InputInvalid("file", "no staff rows under the header")
    return rows


async def import_csv(ctx: Context, conn: Connection, principal: Principal, text: str) -> tuple[list[str], list[str]]:
    """New ids are registered, known ones updated; all or nothing (one transaction)."""
    registered, updated = [], []
    for data in parse_csv(text):
        existing = await staff.get_staff(conn, data.staff_id) if data.staff_id else None
        if existing is None:
            registered.append((await register(ctx, conn, principal, data))["staff_id"])
            continue
        patch = StaffPatch.model_validate(data.model_dump(exclude={"staff_id", "estate_id"}))
        if existing["estate_id"] != data.estate_id:
            raise InputInvalid("estate_id", f"staff {data.staff_id} belongs to estate {existing['estate_id']}")
        updated.append((await change(ctx, conn, principal, existing["staff_id"], patch))["staff_id"])
    return registered, updated
