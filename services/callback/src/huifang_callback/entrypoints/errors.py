"""Domain errors → HTTP problems (RFC 9457), in one place: 422 names the rule and field, 404, 409."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from huifang_callback.domain.errors import (
    AlgorithmUnknown,
    CallbackDomainError,
    MonthNotOver,
    PolicyInvalid,
    PolicyNotFound,
    PolicyVersionConflict,
    SampleNotFound,
)

_STATUS: dict[type[CallbackDomainError], tuple[int, str]] = {
    PolicyInvalid: (422, "策略无效 / Policy invalid"),
    AlgorithmUnknown: (422, "抽样算法未知 / Unknown sampling algorithm"),
    PolicyNotFound: (404, "策略不存在 / Policy not found"),
    SampleNotFound: (404, "抽样不存在 / Sample not found"),
    PolicyVersionConflict: (409, "策略版本冲突 / Policy version conflict"),
    MonthNotOver: (409, "抽样时间未到 / The month's draw time has not come"),
}


def problem_for(exc: CallbackDomainError) -> JSONResponse:
    status, title = _STATUS.get(type(exc), (400, "请求无效 / Bad request"))
    body: dict[str, object] = {"type": "about:blank", "title": title, "status": status, "detail": str(exc)}
    if isinstance(exc, PolicyInvalid):
        body |= {"rule_id": exc.rule_id, "field": exc.field, "reason": exc.reason}
    return JSONResponse(body, status_code=status, media_type="application/problem+json")


def install_error_handlers(app: FastAPI) -> None:
    async def handle(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, CallbackDomainError)
        return problem_for(exc)

    app.add_exception_handler(CallbackDomainError, handle)
