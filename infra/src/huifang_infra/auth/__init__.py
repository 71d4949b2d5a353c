"""Authentication and tenancy: bearer JWTs, the caller's role, and the group/estates it may see."""

from huifang_infra.auth.deps import (
    CurrentPrincipal,
    configure_auth,
    current_principal,
    require_role,
    require_scope,
)
from huifang_infra.auth.principal import ALL_ESTATES, Principal, Role, Scope
from huifang_infra.auth.tokens import (
    DEVELOPMENT_JWT_SECRET,
    AuthConfig,
    TokenInvalid,
    check_jwt_secret,
    decode_token,
    mint_token,
)

__all__ = [
    "ALL_ESTATES",
    "DEVELOPMENT_JWT_SECRET",
    "AuthConfig",
    "CurrentPrincipal",
    "Principal",
    "Role",
    "Scope",
    "TokenInvalid",
    "check_jwt_secret",
    "configure_auth",
    "current_principal",
    "decode_token",
    "mint_token",
    "require_role",
    "require_scope",
]
