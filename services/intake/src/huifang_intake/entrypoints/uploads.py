"""Reading an uploaded export: a raw body (JSON lines, CSV, YAML) or a multipart form with a `file`."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from starlette.datastructures import UploadFile

from huifang_intake.domain.errors import DomainError

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


async def uploaded_text(request: Request) -> tuple[str, str]:
    """(text, content type of the text); the form's file part keeps its own content type."""
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        form = await request.form()
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise DomainError("file", "a multipart upload needs a `file` part")
        data = await upload.read(MAX_UPLOAD_BYTES + 1)
        part_type = upload.content_type or ""
        name = (upload.filename or "").lower()
        content_type = "text/csv" if name.endswith(".csv") else part_type or content_type
    else:
        data = await request.body()
    if len(data) > MAX_UPLOAD_BYTES:
        raise DomainError("file", f"larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB; split the export")
    try:
        return data.decode("utf-8-sig"), content_type
    except UnicodeDecodeError as exc:
        raise DomainError("file", "not UTF-8 text (export as UTF-8)") from exc


def upload_openapi(*media_types: str) -> dict[str, Any]:
    """The request body as OpenAPI shows it: raw text in each media type, or a multipart `file`."""
    content: dict[str, Any] = {media: {"schema": {"type": "string"}} for media in media_types}
    content["multipart/form-data"] = {
        "schema": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}
    }
    return {"requestBody": {"required": True, "content": content}}
