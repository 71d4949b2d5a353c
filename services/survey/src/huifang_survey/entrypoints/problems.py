"""Domain errors → HTTP problems (RFC 9457), in one place: 422 naming the field, 404, 409, 403."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from huifang_survey.domain.errors import Conflict, InputInvalid, NotAssigned, NotFound, RatingOffScale, SurveyError

PROBLEM = "application/problem+json"


def problem(status: int, title: str, detail: str, errors: list[dict[str, object]] | None = None) -> JSONResponse:
    body: dict[str, object] = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    if errors is not None:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, media_type=PROBLEM)


def to_problem(exc: SurveyError) -> JSONResponse:
    if isinstance(exc, RatingOffScale):
        reason = f"{exc.value!r} is not on the scale: {', '.join(exc.allowed)}"
        return problem(422, "评分不在量表内 Rating off the scale", str(exc), [{"field": exc.field, "reason": reason}])
    if isinstance(exc, InputInvalid):
        return problem(422, "输入无效 Invalid input", str(exc), [{"field": exc.field, "reason": exc.reason}])
    if isinstance(exc, NotFound):
        return problem(404, "未找到 Not found", str(exc))
    if isinstance(exc, NotAssigned):
        return problem(403, "无权记录 Not assigned to you", str(exc))
    if isinstance(exc, Conflict):
        return problem(409, "状态冲突 Conflict", str(exc))
    return problem(400, "请求无效 Bad request", str(exc))


def install_problem_handlers(app: FastAPI) -> None:
    async def handle(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, SurveyError)
        return to_problem(exc)

    async def invalid(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        return validation_problem(exc)

    app.add_exception_handler(SurveyError, handle)
    app.add_exception_handler(RequestValidationError, invalid)


def validation_problem(exc: RequestValidationError) -> JSONResponse:
    """FastAPI's own 422, in the same shape as the domain's: the field (dotted, body-relative) and why."""
    errors: list[dict[str, object]] = []
    for error in exc.errors():
        location = [str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path", "header")]
        errors.append({"field": ".".join(location) or "body", "reason": error.get("msg", "invalid")})
    detail = "; ".join(f"{e['field']}: {e['reason']}" for e in errors)
    return problem(422, "输入无效 Invalid input", detail, errors)
