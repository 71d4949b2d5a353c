"""Request dependencies: the service context and one transaction per request (rolled back on error)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from huifang_infra.auth import Principal, require_role
from huifang_infra.db import Connection, Pool, transaction

from huifang_dispatch.service_layer.context import Context
from huifang_dispatch.service_layer.roles import MANAGERS, READERS, STAFF_ADMINS, SUPERVISORS


def _context(request: Request) -> Context:
    ctx: Context = request.app.state.dispatch
    return ctx


def _pool(request: Request) -> Pool:
    pool: Pool = request.app.state.runtime.pool
    return pool


async def _transaction(request: Request) -> AsyncIterator[Connection]:
    async with transaction(request.app.state.runtime.pool) as conn:
        yield conn


Ctx = Annotated[Context, Depends(_context)]
#: For commands that run in their own transaction (re-run on a fresh load when another writer won).
Db = Annotated[Pool, Depends(_pool)]
# scope="function": commit before the response is sent, so a 2xx means committed and the caller's
# next request reads its own write (the default "request" scope commits after the response).
Tx = Annotated[Connection, Depends(_transaction, scope="function")]
StaffAdmin = Annotated[Principal, Depends(require_role(*STAFF_ADMINS))]
Supervisor = Annotated[Principal, Depends(require_role(*SUPERVISORS))]
Manager = Annotated[Principal, Depends(require_role(*MANAGERS))]
Reader = Annotated[Principal, Depends(require_role(*READERS))]
