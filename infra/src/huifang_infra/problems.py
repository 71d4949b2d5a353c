"""HTTP problems (RFC 9457) for every service: one body shape, one 422 naming the field and the reason.

Each service keeps its own table of which domain error is which status (that is its business); how a
problem is written, how a refused request body names its fields and how handlers are installed is decided
here once, so a client — the staff console first — reads every service's refusals the same way.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import asyncpg
from asyncpg.exceptions import _base as asyncpg_base
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError

from huifang_infra.repository import ConcurrencyConflict

PROBLEM_JSON = "application/problem+json"
INVALID_INPUT = "输入无效 Invalid input"
NOT_FOUND = "未找到 Not found"
CONFLICT = "状态冲突 Conflict"
FORBIDDEN = "无权操作 Forbidden"
BAD_REQUEST = "请求无效 Bad request"

log = logging.getLogger(__name__)

#: A refused value is echoed at most this long: a 10 MB comment must not come back as a 10 MB reply.
MAX_ECHO_CHARS = 200

#: Where FastAPI says a value came from; the client knows, the field name is what it needs.
_SOURCES = ("body", "query", "path", "header", "cookie")

#: Turns one exception into its problem response.
ProblemFor = Callable[[Any], JSONResponse]


def problem(
    status: int,
    title: str,
    detail: str | None = None,
    *,
    errors: list[dict[str, Any]] | None = None,
    **extra: object,
) -> JSONResponse:
    """A problem response: `type`, `title` (Chinese first), `status`, and `detail`/`errors`/extras if given."""
    body: dict[str, object] = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    if errors is not None:
        body["errors"] = errors
    body |= extra
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON)


def truncated(text: str, limit: int = MAX_ECHO_CHARS) -> str:
    """`text`, or its first `limit` characters and how many more there were."""
    return text if len(text) <= limit else f"{text[:limit]}… (+{len(text) - limit} characters)"


def field_error(field: str, reason: str, **extra: object) -> dict[str, object]:
    """One refused field as every 422 names it; name and reason truncated (either may echo input)."""
    return {"field": truncated(field), "reason": truncated(reason), **extra}


def field_path(loc: Iterable[int | str]) -> str:
    """`("body", "materials", 0, "name")` → `materials[0].name`; the whole body when nothing is left."""
    out = ""
    for part in (str(p) for p in loc if p not in _SOURCES):
        out += f"[{part}]" if part.isdigit() else (f".{part}" if out else part)
    return out or "body"


def invalid_input(errors: list[dict[str, object]], title: str = INVALID_INPUT) -> JSONResponse:
    """422 listing every refused field; `detail` repeats them on one line for a log or a toast."""
    detail = "; ".join(f"{e['field']}: {e['reason']}" for e in errors)
    return problem(422, title, detail, errors=errors)


def validation_problem(exc: RequestValidationError | ValidationError) -> JSONResponse:
    """FastAPI's own 422 (or a value a domain model refused), in the same shape as the domain's."""
    errors = [field_error(field_path(e.get("loc", ())), str(e.get("msg", "invalid"))) for e in exc.errors()]
    return invalid_input(errors)


#: Values PostgreSQL refuses to store or compare (SQLSTATE class 22: out of range, NUL, a bad date …),
#: and values asyncpg cannot encode as the parameter's type (an int beyond 64 bits).
STORAGE_REFUSALS: tuple[type[Exception], ...] = (asyncpg.DataError, asyncpg_base.DataError)


def storage_refused_problem(exc: Exception) -> JSONResponse:
    """The last line behind request validation: a value no route bounded reached the database. The
    client's input, so a 422 (logged, for the route to bound it by name), never a 500."""
    log.warning("a request value was refused by the database: %s", truncated(str(exc)))
    reason = "超出可存储的范围 a value is out of the range that can be stored"
    return invalid_input([field_error("request", reason)])


def install_base_problem_handlers(app: FastAPI) -> None:
    """What every service answers alike before its own mapping: 422 for refused request values, in
    problem+json, with no echo of the input beyond `MAX_ECHO_CHARS`."""
    app.add_exception_handler(RequestValidationError, _handler(validation_problem))
    for exc_type in STORAGE_REFUSALS:
        app.add_exception_handler(exc_type, _handler(storage_refused_problem))


def install_problem_handlers(
    app: FastAPI, mapping: Mapping[type[Exception], ProblemFor], *, model_values: bool = False
) -> None:
    """One handler per exception type of `mapping`, and FastAPI's own 422 in the shared shape.

    `model_values`: a pydantic `ValidationError` raised past the request body (a domain model refusing a
    value valid as JSON) is the client's mistake too — a 422, not a 500 — where a service builds its
    domain models from request data.
    """
    for exc_type, to_problem in mapping.items():
        app.add_exception_handler(exc_type, _handler(to_problem))
    app.add_exception_handler(ConcurrencyConflict, _handler(_conflict))
    app.add_exception_handler(RequestValidationError, _handler(validation_problem))
    if model_values:
        app.add_exception_handler(ValidationError, _handler(validation_problem))


def _conflict(exc: Exception) -> JSONResponse:
    """Writers kept racing on one stream past the repository's re-runs: the same request may be sent again."""
    return problem(409, CONFLICT, "该记录正被同时修改，请重试 The record changed concurrently; try again")


def _handler(to_problem: ProblemFor) -> Callable[[Request, Exception], Any]:
    async def handle(_request: Request, exc: Exception) -> JSONResponse:
        return to_problem(exc)

    return handle
