"""Errors → HTTP problems (RFC 9457 shape), in one place: 422 names the field and the reason."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError

from huifang_intake.domain.errors import Conflict, DomainError, NotFound


def problem(
    status: int, title: str, errors: list[dict[str, str]] | None = None, detail: str | None = None
) -> JSONResponse:
    body: dict[str, object] = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    if errors is not None:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, media_type="application/problem+json")


def _field_of(loc: tuple[int | str, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    out = ""
    for part in parts:
        out += f"[{part}]" if part.isdigit() else (f".{part}" if out else part)
    return out or "body"


def install_problem_handlers(app: FastAPI) -> None:
    async def invalid_request(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        errors = [{"field": _field_of(tuple(e["loc"])), "reason": str(e["msg"])} for e in exc.errors()]
        return problem(422, "输入无效 Invalid input", errors)

    async def invalid_value(_: Request, exc: Exception) -> JSONResponse:
        # A value valid as JSON but refused by a domain model (an unknown time zone, a bad preset …).
        assert isinstance(exc, ValidationError)
        errors = [{"field": _field_of(tuple(e["loc"])), "reason": str(e["msg"])} for e in exc.errors()]
        return problem(422, "输入无效 Invalid input", errors)

    async def domain_error(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, DomainError)
        return problem(
            422, "请求被拒绝 Request refused", [{"field": exc.field, "reason": exc.reason, "code": exc.code}]
        )

    async def not_found(_: Request, exc: Exception) -> JSONResponse:
        return problem(404, "未找到 Not found", detail=str(exc))

    async def conflict(_: Request, exc: Exception) -> JSONResponse:
        return problem(409, "冲突 Conflict", detail=str(exc))

    app.add_exception_handler(RequestValidationError, invalid_request)
    app.add_exception_handler(ValidationError, invalid_value)
    app.add_exception_handler(DomainError, domain_error)
    app.add_exception_handler(NotFound, not_found)
    app.add_exception_handler(Conflict, conflict)
