"""Callbacks: scheduled, due and overdue lists with filters (issue 6 §8)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, status
from huifang_infra.auth import CurrentPrincipal
from pydantic import AwareDatetime

from huifang_callback.adapters.views import get_callback, list_callbacks
from huifang_callback.domain.model import CallbackState
from huifang_callback.entrypoints.deps import RuntimeDep
from huifang_callback.entrypoints.schemas import CallbackOut
from huifang_callback.entrypoints.views import callback_out

#: Offsets beyond this are refused by name (422), not overflowed into PostgreSQL's bigint.
MAX_OFFSET = 1_000_000_000

router = APIRouter(prefix="/callbacks", tags=["callbacks 回访任务"])


@router.get("")
async def callbacks(
    principal: CurrentPrincipal,
    runtime: RuntimeDep,
    state: Annotated[list[CallbackState] | None, Query()] = None,
    estate_id: str | None = None,
    kind: str | None = None,
    rule_id: str | None = None,
    due_from: AwareDatetime | None = None,  # a time without its offset is ambiguous: refused, as intake does
    due_to: AwareDatetime | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> list[CallbackOut]:
    """Callbacks in the caller's scope, by due time; `state` may repeat (scheduled, due, overdue …)."""
    scope = principal.scope_filter()
    async with runtime.pool.acquire() as conn:
        rows = await list_callbacks(
            conn,
            group_id=scope.group_id,
            estate_ids=scope.estate_ids,
            states=[s.value for s in state] if state else None,
            estate_id=estate_id,
            kind=kind,
            rule_id=rule_id,
            due_from=due_from,
            due_to=due_to,
            limit=limit,
            offset=offset,
        )
    return [callback_out(r) for r in rows]


@router.get("/{callback_id}")
async def callback(callback_id: str, principal: CurrentPrincipal, runtime: RuntimeDep) -> CallbackOut:
    """One callback; 404 also when it is outside the caller's scope (its existence is not disclosed)."""
    async with runtime.pool.acquire() as conn:
        row = await get_callback(conn, callback_id)
    if row is None or not principal.can_see(row["group_id"], row["estate_id"]):
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail="no such callback")
    return callback_out(row)
