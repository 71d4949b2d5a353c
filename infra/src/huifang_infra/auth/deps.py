"""The FastAPI side of auth: one dependency every business endpoint takes, and the 401/403 rules.

The secret lives on the app (`configure_auth(app, config)` in the service's `create_app`), so routes
import one alias, `CurrentPrincipal`, and each composition root decides the secret; tests override
`current_principal` or configure their own app.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, NoReturn

from fastapi import Depends, FastAPI, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from huifang_infra.auth.cache import VerifiedTokens
from huifang_infra.auth.principal import Principal, Role
from huifang_infra.auth.tokens import AuthConfig, TokenInvalid

# auto_error=False: a missing token must be our 401 with a challenge, whatever FastAPI's default is.
_bearer = HTTPBearer(auto_error=False, description="A Huifang JWT; `huifang token mint` makes one locally.")


def configure_auth(app: FastAPI, config: AuthConfig) -> None:
    """Give an app the settings its `CurrentPrincipal` verifies tokens with."""
    app.state.auth_config = config


def _config_of(request: Request) -> AuthConfig:
    config = getattr(request.app.state, "auth_config", None)
    if not isinstance(config, AuthConfig):
        # A programming error, not the caller's: fail loudly rather than accept unverified tokens.
        raise RuntimeError("auth is not configured on this app; call configure_auth(app, AuthConfig(...))")
    return config


def _unauthorized(detail: str, *, invalid: bool) -> NoReturn:
    # RFC 6750 §3: the challenge names the scheme, and `invalid_token` when one was sent but refused.
    challenge = 'Bearer error="invalid_token"' if invalid else "Bearer"
    raise HTTPException(status.HTTP_401_UNAUTHORIZED, detail=detail, headers={"WWW-Authenticate": challenge})


async def current_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """The verified caller of this request, or 401."""
    config = _config_of(request)
    if credentials is None:
        _unauthorized("missing bearer token", invalid=False)
    try:
        return _verified.principal(credentials.credentials, config)
    except TokenInvalid as exc:
        _unauthorized(str(exc), invalid=True)


_verified = VerifiedTokens()

CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def require_scope(principal: Principal, group_id: str, estate_id: str) -> None:
    """403 unless the estate is inside the caller's scope; call it before touching the estate's data."""
    if not principal.can_see(group_id, estate_id):
        raise HTTPException(status.HTTP_403_FORBIDDEN, detail="outside your group or estates")


def require_role(*roles: Role) -> Callable[[Principal], Awaitable[Principal]]:
    """A dependency admitting only these roles (403 otherwise); it yields the principal.

    `principal: Annotated[Principal, Depends(require_role(Role.office_manager, Role.property_director))]`
    """
    allowed = frozenset(roles)

    async def principal_with_role(principal: CurrentPrincipal) -> Principal:
        if principal.role not in allowed:
            raise HTTPException(status.HTTP_403_FORBIDDEN, detail=f"role {principal.role} may not do this")
        return principal

    return principal_with_role
