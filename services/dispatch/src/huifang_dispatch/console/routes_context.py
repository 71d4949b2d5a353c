"""What a caller reads before calling: the original order or complaint and its earlier rounds."""

from __future__ import annotations

from fastapi import APIRouter
from huifang_contracts.enums import CallbackMethod
from huifang_contracts.intake import (
    ComplaintRegistered,
    ComplaintResolved,
    OrderClosed,
    RenovationCompleted,
    ServiceRequestClosed,
)
from huifang_infra.auth import CurrentPrincipal

from huifang_dispatch.adapters import callbacks
from huifang_dispatch.console.schemas import CallbackContext, HistoryItem
from huifang_dispatch.entrypoints.deps import Tx
from huifang_dispatch.entrypoints.present import STATUS_ZH, zone_of
from huifang_dispatch.service_layer.scope import check_row

router = APIRouter(tags=["console 工作台"])

#: The triggering event, as the caller knows it.
SOURCE_ZH = {
    OrderClosed.TYPE: "维修单关闭 work order closed",
    ComplaintResolved.TYPE: "投诉处理完毕 complaint resolved",
    ComplaintRegistered.TYPE: "投诉登记 complaint registered",
    RenovationCompleted.TYPE: "装修完工 renovation completed",
    ServiceRequestClosed.TYPE: "服务完成 service done",
}


@router.get("/console/callbacks/{callback_id}/context")
async def callback_context(principal: CurrentPrincipal, conn: Tx, callback_id: str) -> CallbackContext:
    """The source and every callback on the same source (R-CB-10 rounds), oldest first."""
    row = check_row(principal, await callbacks.get_callback(conn, callback_id), "callback")
    tz = zone_of(row)
    history = []
    if row["source_id"] is not None:
        for r in await conn.fetch(
            """SELECT * FROM callbacks WHERE group_id = $1 AND estate_id = $2 AND source_id = $3
                 AND callback_id <> $4 ORDER BY round, due_at""",
            row["group_id"],
            row["estate_id"],
            row["source_id"],
            callback_id,
        ):
            history.append(
                HistoryItem(
                    callback_id=r["callback_id"],
                    round=r["round"],
                    status=r["status"],
                    status_zh=STATUS_ZH[r["status"]],
                    method_zh=CallbackMethod(r["method"]).label_zh,
                    assignee_id=r["assignee_id"],
                    attempts_made=r["attempts_made"],
                    deadline_local=r["deadline"].astimezone(tz).isoformat(timespec="minutes"),
                    closed_at_local=r["closed_at"].astimezone(tz).isoformat(timespec="minutes")
                    if r["closed_at"]
                    else None,
                )
            )
    last = row["last_attempt_at"]
    return CallbackContext(
        callback_id=callback_id,
        source_type=row["source_type"],
        source_type_zh=SOURCE_ZH.get(row["source_type"] or ""),
        source_id=row["source_id"],
        last_attempt_local=last.astimezone(tz).isoformat(timespec="minutes") if last else None,
        history=history,
    )
