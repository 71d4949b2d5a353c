"""Errors → HTTP problems (`huifang_infra.problems`), in one place: 422 names the field and the reason."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from huifang_infra import problems
from huifang_infra.problems import field_error, problem

from huifang_intake.domain.errors import Conflict, DomainError, NotFound


def refused(exc: DomainError) -> JSONResponse:
    """A rule of the record refused the request: the field, the reason and a stable code for clients."""
    return problems.invalid_input([field_error(exc.field, exc.reason, code=exc.code)], "请求被拒绝 Request refused")


def install_problem_handlers(app: FastAPI) -> None:
    # A value valid as JSON but refused by a domain model (an unknown time zone, a bad preset …) is a 422 too.
    problems.install_problem_handlers(
        app,
        {
            DomainError: refused,
            NotFound: lambda exc: problem(404, problems.NOT_FOUND, str(exc)),
            Conflict: lambda exc: problem(409, "冲突 Conflict", str(exc)),
        },
        model_values=True,
    )
