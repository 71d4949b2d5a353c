"""`Idempotency-Key`: when a retried command is the same request, on every service alike.

A key answers the request it was first used with; another body under the same key is a 409, never a
silent replay of the first answer (the client would believe its second, different command was done).
Each service stores its keys in its own database, in the command's own transaction; what makes two
requests the same is decided here once.
"""

from __future__ import annotations

import hashlib

from fastapi import Request
from pydantic import BaseModel


def request_hash(request: Request, body: BaseModel | None) -> str:
    """The request as validated, not as sent: the model's JSON (its fields in their declared order)
    makes a retry with other whitespace or key order the same request. In a free-form mapping (a
    questionnaire's answers) the order of the keys counts: a client's retry resends its document."""
    canonical = body.model_dump_json().encode() if body is not None else b"null"
    return hashlib.sha256(f"{request.method} {request.url.path}\n".encode() + canonical).hexdigest()
