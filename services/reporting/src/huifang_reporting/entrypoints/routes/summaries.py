"""R-RP-3 summaries as JSON, XLSX or CSV; the office manager's comment on the complaint summary."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request, Response
from huifang_infra.auth import CurrentPrincipal, Principal, Role, require_role, require_scope
from huifang_infra.db import transaction

from huifang_reporting.adapters import actions
from huifang_reporting.adapters.exports import to_csv, to_xlsx
from huifang_reporting.domain.months import parse_month, quarter_months
from huifang_reporting.entrypoints import deps
from huifang_reporting.entrypoints.schemas import CommentIn
from huifang_reporting.service_layer import summaries

router = APIRouter(prefix="/summaries", tags=["summaries"])
Format = Literal["json", "xlsx", "csv"]
Manager = Annotated[Principal, Depends(require_role(Role.office_manager, Role.property_director, Role.admin))]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _render(summary: dict[str, Any], fmt: Format, name: str) -> Any:
    if fmt == "json":
        summary = dict(summary, columns=[{"key": k, "zh": zh, "en": en} for k, zh, en in summary["columns"]])
        return summary
    body, media = (to_xlsx(summary), XLSX) if fmt == "xlsx" else (to_csv(summary), "text/csv; charset=utf-8")
    filename = f"{name}-{summary['estate_id']}-{summary['period']}.{fmt}"
    return Response(body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@router.get("/callbacks/{estate_id}/{month}")
async def callback_summary(
    request: Request, principal: CurrentPrincipal, estate_id: str, month: str, format: Format = "json"
) -> Any:
    """回访记录汇总表: the month's callbacks of one estate."""
    parse_month(month)
    require_scope(principal, principal.group_id, estate_id)
    async with deps.pool(request).acquire() as conn:
        summary = await summaries.callback_summary(conn, principal.group_id, estate_id, month)
    return _render(summary, format, "callbacks")


@router.get("/complaints/{estate_id}/{month}")
async def complaint_summary(
    request: Request, principal: CurrentPrincipal, estate_id: str, month: str, format: Format = "json"
) -> Any:
    """投诉调度记录月总结表: the month's complaints, counts and the manager's comment."""
    parse_month(month)
    require_scope(principal, principal.group_id, estate_id)
    async with deps.pool(request).acquire() as conn:
        summary = await summaries.complaint_summary(conn, principal.group_id, estate_id, month)
    return _render(summary, format, "complaints")


@router.put("/complaints/{estate_id}/{month}/comment")
async def comment(request: Request, principal: Manager, estate_id: str, month: str, body: CommentIn) -> Any:
    """The office manager's comment (评语) on the monthly complaint dispatch summary (R-RP-3)."""
    parse_month(month)
    require_scope(principal, principal.group_id, estate_id)
    async with transaction(deps.pool(request)) as conn:
        await actions.write_comment(
            conn, principal.group_id, estate_id, "complaints", month, body.comment, principal.sub, deps.now(request)
        )
    return {"estate_id": estate_id, "period": month, "comment": body.comment}


@router.get("/quarterly/{estate_id}/{quarter}")
async def quarterly(
    request: Request, principal: CurrentPrincipal, estate_id: str, quarter: str, format: Format = "json"
) -> Any:
    """回访报告表: the quarter's callbacks per month and in total."""
    quarter_months(quarter)
    require_scope(principal, principal.group_id, estate_id)
    async with deps.pool(request).acquire() as conn:
        summary = await summaries.quarterly_report(conn, principal.group_id, estate_id, quarter)
    return _render(summary, format, "quarterly")
