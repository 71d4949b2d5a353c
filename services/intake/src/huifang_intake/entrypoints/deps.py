"""What every route needs: the caller with a role allowed to write, the service, the pool, scope."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request
from huifang_infra.auth import Principal, Role, require_role, require_scope
from huifang_infra.db import Pool

from huifang_intake.service_layer.handlers import Intake

#: Everyone who takes requests at the desk or pushes them from a system; the quality department reads.
WRITERS = (
    Role.receptionist,
    Role.dispatcher,
    Role.department_head,
    Role.site_captain,
    Role.service_center_staff,
    Role.office_manager,
    Role.property_director,
    Role.integration,
    Role.admin,
)
REGISTRY_ADMINS = (Role.admin, Role.property_director, Role.office_manager, Role.integration)

Writer = Annotated[Principal, Depends(require_role(*WRITERS))]
RegistryAdmin = Annotated[Principal, Depends(require_role(*REGISTRY_ADMINS))]
IdempotencyKey = Annotated[
    str | None,
    Header(alias="Idempotency-Key", max_length=200, description="Same key + same body → the same response."),
]


def intake_of(request: Request) -> Intake:
    intake: Intake = request.app.state.intake
    return intake


def pool_of(request: Request) -> Pool:
    pool: Pool = request.app.state.runtime.pool
    return pool


def check_estate(principal: Principal, estate_id: str) -> None:
    """403 for an estate outside the caller's group or estates (every write names its estate)."""
    require_scope(principal, principal.group_id, estate_id)


def scope_estates(principal: Principal, estate_id: str | None) -> list[str] | None:
    """The estates a query may read: the caller's, narrowed to `estate_id` when given (403 outside)."""
    if estate_id is not None:
        check_estate(principal, estate_id)
        return [estate_id]
    return principal.scope_filter().estate_ids
