"""Tenancy checks in domain terms: another group's things do not exist; another estate's are refused."""

from __future__ import annotations

import asyncpg
from huifang_infra.auth import Principal

from huifang_dispatch.domain.errors import Forbidden, NotFound


def check_estate(principal: Principal, estate_id: str) -> None:
    """The caller's group is implied; the estate must be one of theirs (→ 403)."""
    if not principal.can_see(principal.group_id, estate_id):
        raise Forbidden(f"estate {estate_id} is outside your scope")


def check_row(principal: Principal, row: asyncpg.Record | None, what: str) -> asyncpg.Record:
    """A row found by id: missing or another group's → 404, another estate of the group → 403."""
    if row is None or row["group_id"] != principal.group_id:
        raise NotFound(f"{what} not found")
    check_estate(principal, row["estate_id"])
    return row
