"""A submission answered once: the first response is stored, a repeat gets it back marked as replayed."""

from __future__ import annotations

from typing import Any

from fastapi import Response
from huifang_infra.auth import Principal
from huifang_infra.db import Connection

from huifang_survey.service_layer.idempotency import Work, once


async def answer_once(
    conn: Connection,
    response: Response,
    principal: Principal,
    key: str | None,
    resource: str,
    work: Work,
    *,
    same_request: str = "",
) -> dict[str, Any]:
    """Run `work` unless the caller's `key` already answered `resource`; the status and the
    `Idempotent-Replayed` header say which happened (clients on a bad line resubmit freely).

    `same_request` is the request's `request_hash`: stored with the resource, so the key used again
    with another body is a 409 (as in intake), not the first answer replayed."""
    if same_request:
        resource = f"{resource} {same_request}"
    status, result, replayed = await once(conn, principal.group_id, principal.sub, key, resource, work)
    response.status_code = status
    if replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return result
