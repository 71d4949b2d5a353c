"""Targets, closing months on request, corrective actions and their verification (R-SV-5)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from huifang_infra.auth import CurrentPrincipal, Principal, Role, require_role, require_scope
from huifang_infra.db import Connection
from huifang_infra.repository import Cause

from huifang_reporting.adapters import action_rows
from huifang_reporting.adapters import actions as store
from huifang_reporting.domain import corrective_action as ca
from huifang_reporting.domain import kpi_target as kt
from huifang_reporting.domain.errors import MonthOpen, NotFound
from huifang_reporting.domain.months import month_start, next_month, parse_month
from huifang_reporting.domain.targets import targets_for
from huifang_reporting.entrypoints import deps
from huifang_reporting.entrypoints.schemas import AcknowledgementIn, CloseMonthIn, TargetIn, VerificationIn
from huifang_reporting.service_layer.closing import close_month, in_transaction

router = APIRouter(tags=["corrective actions"])
Quality = Annotated[Principal, Depends(require_role(Role.quality_dept, Role.admin))]
EstateManagement = Annotated[
    Principal, Depends(require_role(Role.office_manager, Role.property_director, Role.quality_dept, Role.admin))
]


@router.get("/targets")
async def targets(request: Request, principal: CurrentPrincipal, estate_id: str = "*") -> Any:
    """The targets in force for an estate ("*": the group's), defaults included."""
    if estate_id != "*":
        require_scope(principal, principal.group_id, estate_id)
    async with deps.pool(request).acquire() as conn:
        rows = await store.target_rows(conn, principal.group_id)
    return {"estate_id": estate_id, "targets": {m.value: t for m, t in targets_for(estate_id, rows).items()}}


@router.put("/targets")
async def set_target(request: Request, principal: Quality, body: TargetIn) -> Any:
    """Set a group-wide ("*") or estate target (quality department)."""
    if body.estate_id != "*":
        require_scope(principal, principal.group_id, body.estate_id)
    group_id = principal.group_id
    command = kt.SetTarget(group_id, body.estate_id, body.metric, body.target_percent, principal.sub, deps.now(request))
    cause = Cause(group_id=group_id, estate_id=None if body.estate_id == "*" else body.estate_id, actor=principal.sub)
    await deps.repos(request).targets.run(
        deps.pool(request), kt.stream_id(group_id, body.estate_id, body.metric), command, cause
    )
    return body.model_dump(mode="json")


@router.post("/months/{month}/close")
async def close(request: Request, principal: Quality, month: str, body: CloseMonthIn | None = None) -> Any:
    """Close an ended month now (instead of waiting for the loop); notices go out at most once."""
    parse_month(month)
    now = deps.now(request)
    if now < month_start(next_month(month)):
        raise MonthOpen(f"{month} has not ended yet")
    estate_id = body.estate_id if body else None
    if estate_id is not None:
        require_scope(principal, principal.group_id, estate_id)
    settings, repos = deps.settings(request), deps.repos(request)

    async def close_all(conn: Connection) -> tuple[list[str], list[dict[str, Any]]]:
        estates = [estate_id] if estate_id else await _estates_with_figures(conn, principal, month)
        issued: list[dict[str, Any]] = []
        for estate in estates:
            events = await close_month(
                conn,
                repos,
                principal.group_id,
                estate,
                month,
                now=now,
                by=principal.sub,
                deadline_days=settings.corrective_action_days,
            )
            issued += [{"estate_id": estate, **e.model_dump(mode="json")} for e in events]
        return estates, issued

    estates, issued = await in_transaction(deps.pool(request), close_all)
    return {"month": month, "estates": estates, "issued": issued}


async def _estates_with_figures(conn: Any, principal: Principal, month: str) -> list[str]:
    scope = principal.scope_filter()
    rows = await conn.fetch(
        """SELECT estate_id FROM estate_month_kpis WHERE group_id = $1 AND month = $3
           AND ($2::text[] IS NULL OR estate_id = ANY($2::text[])) ORDER BY estate_id""",
        scope.group_id,
        scope.estate_ids,
        month,
    )
    return [r["estate_id"] for r in rows]


@router.get("/corrective-actions")
async def list_actions(request: Request, principal: CurrentPrincipal, period: str | None = None) -> Any:
    """Notices in the caller's scope, with numerator and denominator of the rate that fell short."""
    async with deps.pool(request).acquire() as conn:
        rows = await store.list_actions(conn, principal.scope_filter(), period)
    return {"actions": [_jsonable(r) for r in rows]}


@router.post("/corrective-actions/{action_id}/verification")
async def verify(request: Request, principal: Quality, action_id: str, body: VerificationIn) -> Any:
    """The quality department records its check of a corrective action (R-SV-5)."""
    row = await _visible_action(request, principal, action_id)
    command = ca.VerifyAction(
        action_id, principal.sub, deps.now(request), body.effective, body.actual_percent, body.note
    )
    await deps.actions(request).run(deps.pool(request), ca.stream_id(action_id), command, _cause(principal, row))
    async with deps.pool(request).acquire() as conn:
        verified = await store.action(conn, action_id)
    assert verified is not None
    return _jsonable(verified)


@router.post("/corrective-actions/{action_id}/acknowledgement")
async def acknowledge(request: Request, principal: EstateManagement, action_id: str, body: AcknowledgementIn) -> Any:
    """The estate takes a notice on (R-SV-5), before the quality department verifies it."""
    row = await _visible_action(request, principal, action_id)
    command = ca.AcknowledgeAction(action_id, principal.sub, deps.now(request), body.note)
    await deps.actions(request).run(deps.pool(request), ca.stream_id(action_id), command, _cause(principal, row))
    async with deps.pool(request).acquire() as conn:
        acknowledged = await store.action(conn, action_id)
        ack = await action_rows.acknowledgement(conn, action_id)
    assert acknowledged is not None and ack is not None
    return _jsonable(acknowledged) | {"acknowledgement": _jsonable(ack)}


async def _visible_action(request: Request, principal: Principal, action_id: str) -> dict[str, Any]:
    """The notice's row, when it exists inside the caller's scope (404 otherwise, as for a stranger)."""
    async with deps.pool(request).acquire() as conn:
        row = await store.action(conn, action_id)
    if row is None or not principal.can_see(row["group_id"], row["estate_id"]):
        raise NotFound(f"no corrective action {action_id}")
    return row


def _cause(principal: Principal, row: dict[str, Any]) -> Cause:
    return Cause(group_id=row["group_id"], estate_id=row["estate_id"], actor=principal.sub)


def _jsonable(row: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in row.items():
        if hasattr(value, "isoformat"):
            out[key] = value.isoformat()
        elif value is not None and key.endswith("_percent"):
            out[key] = float(value)
        else:
            out[key] = value
    return out
