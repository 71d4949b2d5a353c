"""Request dependencies: the running runtime and components, and the roles that may change policies."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from huifang_infra.auth import Principal, Role, require_role
from huifang_infra.runtime import ServiceRuntime

from huifang_callback.bootstrap import Components


def _runtime(request: Request) -> ServiceRuntime:
    runtime: ServiceRuntime = request.app.state.runtime
    return runtime


def _components(request: Request) -> Components:
    components: Components = request.app.state.components
    return components


RuntimeDep = Annotated[ServiceRuntime, Depends(_runtime)]
ComponentsDep = Annotated[Components, Depends(_components)]

#: Who may change a policy: the managers of an estate, the group's quality department, admins.
PolicyEditor = Annotated[
    Principal,
    Depends(require_role(Role.office_manager, Role.property_director, Role.quality_dept, Role.admin)),
]


def require_whole_group(principal: Principal) -> None:
    """A group-wide policy touches every estate: only a principal scoped to all of them may change it."""
    if not principal.all_estates:
        raise HTTPException(status.HTTP_403_FORBIDDEN, detail="a group policy needs a group-wide scope")
