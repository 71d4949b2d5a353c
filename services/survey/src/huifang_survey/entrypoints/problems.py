"""Domain errors → HTTP problems (`huifang_infra.problems`): 422 naming the field, 404, 409, 403."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from huifang_infra import problems
from huifang_infra.problems import BAD_REQUEST, CONFLICT, NOT_FOUND, field_error, invalid_input, problem

from huifang_survey.domain.errors import Conflict, InputInvalid, NotAssigned, NotFound, RatingOffScale, SurveyError


def to_problem(exc: SurveyError) -> JSONResponse:
    if isinstance(exc, RatingOffScale):
        reason = f"{exc.value!r} is not on the scale: {', '.join(exc.allowed)}"
        return invalid_input([field_error(exc.field, reason)], "评分不在量表内 Rating off the scale")
    if isinstance(exc, InputInvalid):
        return invalid_input([field_error(exc.field, exc.reason)])
    if isinstance(exc, NotFound):
        return problem(404, NOT_FOUND, str(exc))
    if isinstance(exc, NotAssigned):
        return problem(403, "无权记录 Not assigned to you", str(exc))
    if isinstance(exc, Conflict):
        return problem(409, CONFLICT, str(exc))
    return problem(400, BAD_REQUEST, str(exc))


def install_problem_handlers(app: FastAPI) -> None:
    problems.install_problem_handlers(app, {SurveyError: to_problem})
