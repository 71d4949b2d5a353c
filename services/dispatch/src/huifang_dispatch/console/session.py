"""The console's own check on a token: signed (infra's dependency) and not signed out since."""

from __future__ import annotations

from typing import Annotated

import jwt
from fastapi import Depends, HTTPException, Request, status
from huifang_infra.auth import CurrentPrincipal, Principal

from huifang_dispatch.console.signin import token_still_valid


async def _signed_in(request: Request, principal: CurrentPrincipal) -> Principal:
    """401 when the token predates the holder's last sign-out or password change."""
    raw = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    # The signature was verified by CurrentPrincipal; only the issue time is read here.
    issued_at = int(jwt.decode(raw, options={"verify_signature": False}).get("iat", 0))
    async with request.app.state.runtime.pool.acquire() as conn:
        valid_after = await conn.fetchval(
            "SELECT tokens_valid_after FROM staff_credentials WHERE staff_id = $1", principal.sub
        )
    if not token_still_valid(issued_at, valid_after):
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            detail="已退出登录，请重新登录 / signed out; sign in again",
            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
        )
    return principal


SignedIn = Annotated[Principal, Depends(_signed_in)]
