"""Domain errors → HTTP problems (`huifang_infra.problems`): 422 names the rule and field, 404, 409."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from huifang_infra import problems

from huifang_callback.domain.errors import (
    AlgorithmUnknown,
    CallbackDomainError,
    MonthNotOver,
    PolicyInvalid,
    PolicyNotFound,
    PolicyVersionConflict,
    SampleNotFound,
    ScheduleInvalid,
)

_STATUS: dict[type[CallbackDomainError], tuple[int, str]] = {
    PolicyInvalid: (422, "策略无效 / Policy invalid"),
    ScheduleInvalid: (422, "工作日安排无效 / Working-day schedule invalid"),
    AlgorithmUnknown: (422, "抽样算法未知 / Unknown sampling algorithm"),
    PolicyNotFound: (404, "策略不存在 / Policy not found"),
    SampleNotFound: (404, "抽样不存在 / Sample not found"),
    PolicyVersionConflict: (409, "策略版本冲突 / Policy version conflict"),
    MonthNotOver: (409, "抽样时间未到 / The month's draw time has not come"),
}


def problem_for(exc: CallbackDomainError) -> JSONResponse:
    status, title = _STATUS.get(type(exc), (400, "请求无效 / Bad request"))
    if isinstance(exc, PolicyInvalid):
        # The rule and field at the top (existing clients) and in `errors`, the shape every service's 422 has.
        errors = [problems.field_error(exc.field or "policy", exc.reason, rule_id=exc.rule_id)]  # None: the policy
        return problems.problem(
            status, title, str(exc), errors=errors, rule_id=exc.rule_id, field=exc.field, reason=exc.reason
        )
    if isinstance(exc, ScheduleInvalid):
        return problems.invalid_input([problems.field_error(exc.field, exc.reason)], title)
    return problems.problem(status, title, str(exc))


def install_error_handlers(app: FastAPI) -> None:
    problems.install_problem_handlers(app, {CallbackDomainError: problem_for})
