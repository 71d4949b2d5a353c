"""KPI queries: group overview, trends, drill-down, item satisfaction, complaint counts (R-RP-1…4)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from huifang_infra.auth import CurrentPrincipal, Scope, require_scope

from huifang_reporting.entrypoints import deps
from huifang_reporting.service_layer import views

router = APIRouter(prefix="/kpis", tags=["kpis"])
First = Annotated[str | None, Query(alias="from", description="first month, YYYY-MM (estate-local)")]
Last = Annotated[str | None, Query(alias="to", description="last month, YYYY-MM, included")]


def _scope(principal: CurrentPrincipal, estate_id: str | None) -> Scope:
    if estate_id is not None:
        require_scope(principal, principal.group_id, estate_id)
    return principal.scope_filter()


@router.get("/overview")
async def overview(request: Request, principal: CurrentPrincipal, first: First = None, last: Last = None) -> Any:
    """The group roll-up: every estate in scope, ranked, below-target flagged, numerators and denominators."""
    first, last = deps.month_range(request, first, last)
    async with deps.pool(request).acquire() as conn:
        answer = await views.overview(conn, principal.scope_filter(), first, last)
    # a thousand estates: the answer is plain JSON already, so skip FastAPI's generic re-encoding
    return JSONResponse(answer)


@router.get("/trend")
async def trend(
    request: Request, principal: CurrentPrincipal, first: First = None, last: Last = None, estate_id: str | None = None
) -> Any:
    """KPIs per month over the scope (or one estate)."""
    first, last = deps.month_range(request, first, last)
    scope = _scope(principal, estate_id)
    async with deps.pool(request).acquire() as conn:
        return await views.trend(conn, scope, first, last, estate_id)


@router.get("/estates/{estate_id}")
async def drill_down(
    request: Request,
    principal: CurrentPrincipal,
    estate_id: str,
    by: Literal["department", "staff", "category"] = "department",
    department: str | None = None,
    first: First = None,
    last: Last = None,
) -> Any:
    """One estate's callback KPIs by department, staff or category (staff within a department)."""
    first, last = deps.month_range(request, first, last)
    require_scope(principal, principal.group_id, estate_id)
    async with deps.pool(request).acquire() as conn:
        return await views.drill_down(conn, principal.group_id, estate_id, by, first, last, department)


@router.get("/items")
async def items(
    request: Request, principal: CurrentPrincipal, first: First = None, last: Last = None, estate_id: str | None = None
) -> Any:
    """Item satisfaction per survey dimension (R-SV-4)."""
    first, last = deps.month_range(request, first, last)
    scope = _scope(principal, estate_id)
    async with deps.pool(request).acquire() as conn:
        return await views.items(conn, scope, first, last, estate_id)


@router.get("/complaints")
async def complaints(
    request: Request, principal: CurrentPrincipal, first: First = None, last: Last = None, estate_id: str | None = None
) -> Any:
    """Complaints received by grade, validity and category; overdue callbacks."""
    first, last = deps.month_range(request, first, last)
    scope = _scope(principal, estate_id)
    async with deps.pool(request).acquire() as conn:
        return await views.complaints(conn, scope, first, last, estate_id)
