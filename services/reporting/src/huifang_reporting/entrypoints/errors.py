"""Domain errors → HTTP problems, in one place: 422 with the field, 404, 409."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from huifang_infra.repository import ConcurrencyConflict

from huifang_reporting.domain.errors import (
    AlreadyAcknowledged,
    AlreadyVerified,
    MonthOpen,
    NotFound,
    PeriodInvalid,
    TargetInvalid,
)


def install_error_handlers(app: FastAPI) -> None:
    async def period_invalid(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, PeriodInvalid)
        return JSONResponse(
            {"detail": [{"loc": ["query", exc.field], "msg": exc.reason, "type": "period_invalid"}]}, status_code=422
        )

    async def target_invalid(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, TargetInvalid)
        return JSONResponse(
            {"detail": [{"loc": ["body", exc.field], "msg": exc.reason, "type": "target_invalid"}]}, status_code=422
        )

    async def not_found(_request: Request, exc: Exception) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=404)

    async def conflict(_request: Request, exc: Exception) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=409)

    app.add_exception_handler(PeriodInvalid, period_invalid)
    app.add_exception_handler(TargetInvalid, target_invalid)
    app.add_exception_handler(NotFound, not_found)
    app.add_exception_handler(AlreadyVerified, conflict)
    app.add_exception_handler(AlreadyAcknowledged, conflict)
    app.add_exception_handler(MonthOpen, conflict)
    app.add_exception_handler(ConcurrencyConflict, conflict)
