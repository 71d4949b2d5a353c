"""Domain refusals → HTTP problems, in one place: 422 field + reason, 404, 409, 403."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from huifang_dispatch.domain.errors import Conflict, DispatchError, Forbidden, HandoverRefused, InputInvalid, NotFound


def _problem(status: int, title: str, detail: str, **extra: object) -> JSONResponse:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    return JSONResponse(body, status_code=status, media_type="application/problem+json")


async def _handle(_request: Request, exc: Exception) -> JSONResponse:
    if isinstance(exc, InputInvalid):
        # Same shape as FastAPI's own 422s, so a client reads one format for every bad field.
        return _problem(422, "输入无效 Invalid input", str(exc), errors=[{"loc": [exc.field], "msg": exc.reason}])
    if isinstance(exc, HandoverRefused):
        return _problem(409, "交接被拒绝 Handover refused", str(exc), item_ids=exc.item_ids)
    if isinstance(exc, NotFound):
        return _problem(404, "未找到 Not found", str(exc))
    if isinstance(exc, Forbidden):
        return _problem(403, "无权操作 Forbidden", str(exc))
    if isinstance(exc, Conflict):
        return _problem(409, "状态冲突 Conflict", str(exc))
    return _problem(400, "请求无效 Bad request", str(exc))


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DispatchError, _handle)
