"""The staff directory (人员): list, register, change, CSV import."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Query, UploadFile, status
from huifang_contracts.enums import StaffRole
from huifang_infra.auth import CurrentPrincipal

from huifang_dispatch.adapters import staff
from huifang_dispatch.domain.errors import InputInvalid
from huifang_dispatch.entrypoints.deps import Ctx, StaffAdmin, Tx
from huifang_dispatch.entrypoints.present import staff_out
from huifang_dispatch.entrypoints.schemas import ImportReport, StaffIn, StaffOut, StaffPatch
from huifang_dispatch.service_layer import directory
from huifang_dispatch.service_layer.scope import check_estate, check_row

router = APIRouter(prefix="/staff", tags=["staff 人员"])


@router.get("")
async def list_staff(
    principal: CurrentPrincipal,
    conn: Tx,
    estate_id: str | None = None,
    role: StaffRole | None = None,
    department: str | None = None,
) -> list[StaffOut]:
    """Staff of the caller's estates, filtered by estate, role, department."""
    if estate_id is not None:
        check_estate(principal, estate_id)
    rows = await staff.list_staff(conn, principal.scope_filter(), estate_id, role.value if role else None, department)
    return [staff_out(r) for r in rows]


@router.get("/{staff_id}")
async def get_staff(principal: CurrentPrincipal, conn: Tx, staff_id: str) -> StaffOut:
    """One staff member."""
    return staff_out(check_row(principal, await staff.get_staff(conn, staff_id), "staff"))


@router.post("", status_code=status.HTTP_201_CREATED)
async def register_staff(principal: StaffAdmin, ctx: Ctx, conn: Tx, body: StaffIn) -> StaffOut:
    """Register a staff member; StaffRegistered goes to survey and reporting."""
    return staff_out(await directory.register(ctx, conn, principal, body))


@router.patch("/{staff_id}")
async def change_staff(principal: StaffAdmin, ctx: Ctx, conn: Tx, staff_id: str, body: StaffPatch) -> StaffOut:
    """Change role, department, door visits, active flag …"""
    return staff_out(await directory.change(ctx, conn, principal, staff_id, body))


@router.post("/import")
async def import_staff(
    principal: StaffAdmin,
    ctx: Ctx,
    conn: Tx,
    file: Annotated[UploadFile, File(description="UTF-8 CSV: staff_id,estate_id,name,role,department,…")],
    dry_run: Annotated[bool, Query()] = False,
) -> ImportReport:
    """Import a CSV; all rows or none. `dry_run` checks the file without writing."""
    raw = await file.read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InputInvalid("file", "not UTF-8 text") from None
    if dry_run:
        rows = directory.parse_csv(text)
        for row in rows:
            check_estate(principal, row.estate_id)
        return ImportReport(registered=[r.staff_id or "(new)" for r in rows], updated=[])
    registered, updated = await directory.import_csv(ctx, conn, principal, text)
    return ImportReport(registered=registered, updated=updated)
