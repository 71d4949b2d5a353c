"""Batch import of ERP exports (JSON lines or CSV): good rows accepted, each bad row reported."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from huifang_infra.db import transaction
from pydantic import ValidationError

from huifang_intake.domain.errors import Conflict, DomainError, NotFound
from huifang_intake.entrypoints.deps import Writer, intake_of, pool_of
from huifang_intake.entrypoints.uploads import upload_openapi, uploaded_text
from huifang_intake.service_layer.erp import apply_erp
from huifang_intake.service_layer.erp_import import parse_csv, parse_json_lines

router = APIRouter(prefix="/imports", tags=["导入 Imports"])


@router.post(
    "/erp",
    summary="导入ERP导出 Import an ERP export (JSON lines, or CSV with Content-Type text/csv)",
    openapi_extra=upload_openapi("application/x-ndjson", "text/csv"),
)
async def import_erp(request: Request, principal: Writer) -> dict[str, Any]:
    """Each row runs in its own savepoint: a refused row is rolled back alone and reported with its
    field and reason; a row already imported (same ERP id) is reported as a duplicate."""
    text, content_type = await uploaded_text(request)
    csv_body = "csv" in content_type
    rows = parse_csv(text, principal.group_id) if csv_body else parse_json_lines(text, principal.group_id)
    intake = intake_of(request)
    results: list[dict[str, Any]] = []
    async with transaction(pool_of(request)) as conn:
        for row in rows:
            if row.message is None:
                results.append({"row": row.number, "status": "error", "field": row.field, "reason": row.reason})
                continue
            message = row.message
            if not principal.can_see(message.group_id, message.estate_id):
                results.append({"row": row.number, "status": "error", "field": "estate_id",
                                "reason": "outside your group or estates"})  # fmt: skip
                continue
            try:
                async with conn.transaction():
                    outcome = await apply_erp(conn, intake, message)
            except DomainError as exc:
                results.append({"row": row.number, "status": "error", "field": exc.field, "reason": exc.reason})
                continue
            except ValidationError as exc:
                first = exc.errors()[0]
                field = ".".join(str(p) for p in first["loc"]) or "data"
                results.append({"row": row.number, "status": "error", "field": field, "reason": first["msg"]})
                continue
            except (Conflict, NotFound) as exc:
                results.append({"row": row.number, "status": "error", "field": "erp_id", "reason": str(exc)})
                continue
            results.append({"row": row.number, "status": outcome, "erp_id": message.erp_id, "id": message.record_id})
    counts = {status: sum(1 for r in results if r["status"] == status) for status in ("applied", "duplicate", "error")}
    return {"rows": results, **counts}
