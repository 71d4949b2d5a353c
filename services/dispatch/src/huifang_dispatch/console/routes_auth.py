"""Sign-in (OAuth2 password flow), who am I, password change and reset, sign-out."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, status
from fastapi.responses import JSONResponse
from fastapi.security import OAuth2PasswordRequestForm
from huifang_contracts.enums import StaffRole
from huifang_infra.db import transaction

from huifang_dispatch.adapters import staff as staff_table
from huifang_dispatch.config import DispatchSettings
from huifang_dispatch.console import credentials
from huifang_dispatch.console.passwords import hash_password, password_problem, verify_password
from huifang_dispatch.console.schemas import MeOut, PasswordChangeIn, PasswordSetIn, TokenOut
from huifang_dispatch.console.session import SignedIn
from huifang_dispatch.console.signin import Issued, issue_token, sign_in, wall_clock
from huifang_dispatch.domain.errors import InputInvalid
from huifang_dispatch.entrypoints.deps import Ctx, StaffAdmin, Tx
from huifang_dispatch.service_layer.scope import check_row

router = APIRouter(tags=["console sign-in 登录"])

PasswordForm = Annotated[OAuth2PasswordRequestForm, Depends()]


def _settings(request: Request) -> DispatchSettings:
    settings: DispatchSettings = request.app.state.runtime.settings
    return settings


def _token_out(issued: Issued) -> TokenOut:
    return TokenOut(
        access_token=issued.token,
        expires_in=issued.expires_in,
        staff_id=issued.staff_id,
        name=issued.name,
        role=issued.role,
        role_zh=StaffRole(issued.role).label_zh,
        group_id=issued.group_id,
        estate_id=issued.estate_id,
        must_change=issued.must_change,
    )


@router.post("/auth/token", response_model=TokenOut)
async def token(request: Request, form: PasswordForm, ctx: Ctx) -> TokenOut | JSONResponse:
    """User name (staff id) and password → the platform's bearer JWT; 400 per RFC 6749 §5.2 otherwise."""
    client = request.client.host if request.client else None
    async with transaction(request.app.state.runtime.pool) as conn:
        # Failures commit with the refusal: the lockout must count them.
        result = await sign_in(conn, _settings(request), form.username.strip(), form.password, ctx.clock(), client)
    if isinstance(result, Issued):
        return _token_out(result)
    body = {"error": result.code, "error_description": result.detail}
    return JSONResponse(body, status_code=400, headers={"Cache-Control": "no-store"})


@router.get("/auth/me")
async def me(principal: SignedIn, conn: Tx) -> MeOut:
    """The signed-in person as the directory knows them, with their estate's time zone."""
    row = await conn.fetchrow(
        """SELECT s.*, e.timezone, c.must_change FROM staff s LEFT JOIN estates e USING (estate_id)
           LEFT JOIN staff_credentials c USING (staff_id) WHERE s.staff_id = $1 AND s.group_id = $2""",
        principal.sub,
        principal.group_id,
    )
    role = StaffRole(row["role"]) if row else None
    return MeOut(
        staff_id=principal.sub,
        name=row["name"] if row else principal.name,
        role=principal.role.value,
        role_zh=role.label_zh if role else None,
        group_id=principal.group_id,
        estate_id=row["estate_id"] if row else None,
        estates=sorted(principal.estate_ids) if principal.estate_ids is not None else None,
        timezone=(row["timezone"] if row else None) or "Asia/Shanghai",
        door_visits=bool(row and row["door_visits"]),
        must_change=bool(row and row["must_change"]),
    )


@router.post("/auth/password")
async def change_password(
    request: Request, principal: SignedIn, body: PasswordChangeIn, ctx: Ctx, conn: Tx
) -> TokenOut:
    """The person changes their own password; older tokens stop working here, a new one is returned."""
    row = await credentials.lock_account(conn, principal.sub)
    if row is None or not await verify_password(body.current_password, row["password_hash"]):
        raise InputInvalid("current_password", "当前密码不正确 / the current password is wrong")
    problem = password_problem(body.new_password, principal.sub)
    if problem is not None:
        raise InputInvalid("new_password", problem)
    revoked_at = wall_clock()
    new_hash = await hash_password(body.new_password)
    await credentials.set_password(conn, row, new_hash, ctx.clock(), revoked_at, must_change=False)
    return _token_out(await issue_token(_settings(request), {**dict(row), "must_change": False}, revoked_at))


@router.post("/auth/refresh", response_model=TokenOut)
async def refresh(request: Request, principal: SignedIn, conn: Tx) -> TokenOut:
    """A fresh short-lived token for a token not yet expired nor signed out, while the account is active:
    how the console stays signed in, and why a sign-out ends its tokens at every service within one
    token's life (`console_token_ttl_minutes`)."""
    row = await credentials.lock_account(conn, principal.sub)
    if row is None or not row["active"] or row["password_hash"] is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED, detail="账号已停用 / account inactive", headers=_INVALID_TOKEN
        )
    return _token_out(await issue_token(_settings(request), dict(row), row["tokens_valid_after"]))


_INVALID_TOKEN = {"WWW-Authenticate": 'Bearer error="invalid_token"'}


@router.post("/auth/sign-out", status_code=204)
async def sign_out(principal: SignedIn, ctx: Ctx, conn: Tx) -> None:
    """Tokens issued so far stop working at the console; the browser discards its copy."""
    await credentials.revoke_tokens(conn, principal.sub, wall_clock())


@router.put("/staff/{staff_id}/password", status_code=204)
async def set_initial_password(principal: StaffAdmin, staff_id: str, body: PasswordSetIn, ctx: Ctx, conn: Tx) -> None:
    """An administrator sets (or resets) a staff member's password; the lockout is lifted."""
    row = check_row(principal, await staff_table.get_staff(conn, staff_id, lock=True), "staff")
    problem = password_problem(body.password, staff_id)
    if problem is not None:
        raise InputInvalid("password", problem)
    new_hash = await hash_password(body.password)
    await credentials.set_password(conn, row, new_hash, ctx.clock(), wall_clock(), must_change=body.must_change)
