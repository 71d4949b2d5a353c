"""Domain refusals → HTTP problems (`huifang_infra.problems`): 422 field + reason, 404, 409, 403."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from huifang_infra.problems import (
    BAD_REQUEST,
    CONFLICT,
    FORBIDDEN,
    NOT_FOUND,
    field_error,
    install_problem_handlers,
    invalid_input,
    problem,
)

from huifang_dispatch.domain.errors import Conflict, DispatchError, Forbidden, HandoverRefused, InputInvalid, NotFound


def problem_for(exc: DispatchError) -> JSONResponse:
    if isinstance(exc, InputInvalid):
        # `loc`/`msg` as FastAPI names them, kept for existing clients; `field`/`reason` as every service does.
        return invalid_input([field_error(exc.field, exc.reason, loc=[exc.field], msg=exc.reason)])
    if isinstance(exc, HandoverRefused):
        return problem(409, "交接被拒绝 Handover refused", str(exc), item_ids=exc.item_ids)
    if isinstance(exc, NotFound):
        return problem(404, NOT_FOUND, str(exc))
    if isinstance(exc, Forbidden):
        return problem(403, FORBIDDEN, str(exc))
    if isinstance(exc, Conflict):
        return problem(409, CONFLICT, str(exc))
    return problem(400, BAD_REQUEST, str(exc))


def install_error_handlers(app: FastAPI) -> None:
    install_problem_handlers(app, {DispatchError: problem_for})
