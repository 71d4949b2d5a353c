"""A new record from a request body, the same way for every record type."""

from __future__ import annotations

import uuid
from typing import Any, TypeVar

from pydantic import BaseModel

from huifang_intake.domain.changes import Record
from huifang_intake.domain.phones import normalise_phone

R = TypeVar("R", bound=Record)


def record_from(cls: type[R], body: BaseModel, group_id: str, id_field: str, prefix: str, **fields: Any) -> R:
    """The client's id or a fresh `<prefix>-<12 hex>`, the phone in one canonical form (so a repeat caller is
    recognised), the body's other fields; `fields` replace the body's (a canonical category, a status)."""
    given = getattr(body, id_field)
    data = body.model_dump(exclude={id_field, "requester_phone", *fields})
    phone = normalise_phone(getattr(body, "requester_phone", None))
    new_id = given or f"{prefix}-{uuid.uuid4().hex[:12]}"
    return cls.model_validate({"group_id": group_id, "requester_phone": phone, id_field: new_id, **data, **fields})
