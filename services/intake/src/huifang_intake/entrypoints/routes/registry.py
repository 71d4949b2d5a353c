"""The estate registry's admin API and import; every change is published for the other services."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from huifang_infra.auth import CurrentPrincipal, Principal
from huifang_infra.db import Connection, transaction
from pydantic import BaseModel

from huifang_intake.domain.errors import NotFound
from huifang_intake.domain.registry import Building, Department, Estate, EstatePart, Group, Unit
from huifang_intake.entrypoints import schemas as s
from huifang_intake.entrypoints.deps import IdempotencyKey, RegistryAdmin, check_estate, intake_of, pool_of
from huifang_intake.entrypoints.idempotency import run_command
from huifang_intake.entrypoints.uploads import upload_openapi, uploaded_text
from huifang_intake.service_layer.registry_import import ParsedRegistry, parse_csv, parse_yaml

router = APIRouter(prefix="/registry", tags=["项目档案 Estate registry"])


class EstateBody(BaseModel):
    """An estate's facts; the group is the caller's."""

    model_config = Estate.model_config
    estate_id: str
    name: str
    estate_type: str = "residential"
    preset: str = "tianxiacheng"
    zone: str | None = None
    region: str | None = None
    timezone: str = "Asia/Shanghai"
    calendar: str = "cn-mainland"
    household_count: int | None = None


def _estate(principal: Principal, body: BaseModel, estate_id: str | None = None) -> Estate:
    values = body.model_dump() | ({"estate_id": estate_id} if estate_id else {})
    return Estate.model_validate({**values, "group_id": principal.group_id})


@router.post("/estates", status_code=201, summary="登记项目 Register an estate (EstateRegistered)")
async def register_estate(
    request: Request, body: EstateBody, principal: RegistryAdmin, key: IdempotencyKey = None
) -> JSONResponse:
    check_estate(principal, body.estate_id)
    estate = _estate(principal, body)

    async def work(conn: Connection) -> tuple[int, dict[str, Any]]:
        await intake_of(request).save_estate(conn, estate, must_be_new=True)
        return 201, estate.model_dump(mode="json")

    return await run_command(request, principal, key, body, work)


@router.put("/estates/{estate_id}", summary="更新项目 Update an estate (EstateUpdated)")
async def update_estate(
    request: Request, estate_id: str, body: EstateBody, principal: RegistryAdmin, key: IdempotencyKey = None
) -> JSONResponse:
    check_estate(principal, estate_id)
    estate = _estate(principal, body, estate_id)

    async def work(conn: Connection) -> tuple[int, dict[str, Any]]:
        await intake_of(request).save_estate(conn, estate, must_be_new=False)
        return 200, estate.model_dump(mode="json")

    return await run_command(request, principal, key, body, work)


@router.get("/estates", summary="项目列表 Estates in scope")
async def list_estates(request: Request, principal: CurrentPrincipal) -> list[dict[str, Any]]:
    async with pool_of(request).acquire() as conn:
        estates = await intake_of(request).registry.estates(
            conn, principal.group_id, principal.scope_filter().estate_ids
        )
    return [e.model_dump(mode="json") for e in estates]


@router.get("/estates/{estate_id}", summary="项目详情 An estate with buildings, units, departments")
async def get_estate(request: Request, estate_id: str, principal: CurrentPrincipal) -> dict[str, Any]:
    check_estate(principal, estate_id)
    intake = intake_of(request)
    async with pool_of(request).acquire() as conn:
        estate = await intake.registry.estate(conn, principal.group_id, estate_id, fresh=True)
        if estate is None:
            raise NotFound("estate", estate_id)
        return estate.model_dump(mode="json") | await intake.registry.estate_parts(conn, principal.group_id, estate_id)


@router.put("/group", summary="集团信息 Name the caller's property group")
async def put_group(request: Request, body: Group, principal: RegistryAdmin) -> dict[str, Any]:
    async with transaction(pool_of(request)) as conn:
        await intake_of(request).registry.save_group(conn, principal.group_id, body)
    return {"group_id": principal.group_id} | body.model_dump()


@router.get("/group", summary="集团信息 The caller's property group")
async def get_group(request: Request, principal: CurrentPrincipal) -> dict[str, Any]:
    async with pool_of(request).acquire() as conn:
        group = await intake_of(request).registry.group(conn, principal.group_id)
    if group is None:
        raise NotFound("group", principal.group_id)
    return {"group_id": principal.group_id} | group.model_dump()


async def _save_part(request: Request, principal: Principal, estate_id: str, part: EstatePart) -> dict[str, Any]:
    check_estate(principal, estate_id)
    async with transaction(pool_of(request)) as conn:
        await intake_of(request).save_estate_part(conn, principal.group_id, estate_id, part)
    return part.model_dump(mode="json")


@router.put("/estates/{estate_id}/buildings", summary="楼栋 Add or rename a building (BuildingSaved)")
async def put_building(request: Request, estate_id: str, body: Building, principal: RegistryAdmin) -> dict[str, Any]:
    return await _save_part(request, principal, estate_id, body)


@router.put("/estates/{estate_id}/units", summary="房号 Add or change a unit (UnitSaved)")
async def put_unit(request: Request, estate_id: str, body: Unit, principal: RegistryAdmin) -> dict[str, Any]:
    return await _save_part(request, principal, estate_id, body)


@router.put("/estates/{estate_id}/departments", summary="部门 Add or rename a department (DepartmentSaved)")
async def put_department(
    request: Request, estate_id: str, body: Department, principal: RegistryAdmin
) -> dict[str, Any]:
    return await _save_part(request, principal, estate_id, body)


@router.get("/categories", summary="投诉分类 Complaint categories of the caller's group")
async def categories(request: Request, principal: CurrentPrincipal) -> dict[str, list[str]]:
    async with pool_of(request).acquire() as conn:
        tree = await intake_of(request).registry.categories(conn, principal.group_id)
    return {name: sorted(children) for name, children in tree.items()}


@router.post(
    "/categories",
    status_code=201,
    summary="新增投诉分类 Extend the group's complaint categories (ComplaintCategoryAdded)",
)
async def add_category(request: Request, body: s.CategoryAdd, principal: RegistryAdmin) -> dict[str, Any]:
    async with transaction(pool_of(request)) as conn:
        await intake_of(request).add_category(conn, principal.group_id, body.category, body.subcategory)
    return body.model_dump()


@router.post(
    "/import",
    summary="导入项目档案 Import estates from YAML or CSV (per-row errors)",
    openapi_extra=upload_openapi("application/yaml", "text/csv"),
)
async def import_registry(request: Request, principal: RegistryAdmin) -> dict[str, Any]:
    text, content_type = await uploaded_text(request)
    parsed = parse_csv(principal.group_id, text) if "csv" in content_type else parse_yaml(principal.group_id, text)
    return await _apply(request, principal, parsed)


async def _apply(request: Request, principal: Principal, parsed: ParsedRegistry) -> dict[str, Any]:
    intake, errors, saved = intake_of(request), list(parsed.errors), []
    async with transaction(pool_of(request)) as conn:
        if parsed.group is not None:
            await intake.registry.save_group(conn, principal.group_id, parsed.group)
        for category, subcategory in parsed.categories:
            await intake.add_category(conn, principal.group_id, category, subcategory)
        for row, entry in parsed.entries:
            if not principal.can_see(principal.group_id, entry.estate.estate_id):
                errors.append({"row": row, "field": "estate_id", "reason": "outside your estates"})
                continue
            async with conn.transaction():
                # The same handlers as the single-item routes, so an import publishes the same events.
                await intake.save_estate(conn, entry.estate)
                parts: list[EstatePart] = [*entry.buildings, *entry.units, *entry.departments]
                for part in parts:
                    await intake.save_estate_part(conn, principal.group_id, entry.estate.estate_id, part)
            saved.append(entry.estate.estate_id)
    return {"saved": saved, "errors": sorted(errors, key=lambda e: e["row"])}
