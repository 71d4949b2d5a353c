"""Bearer tokens: HS256 JWTs carrying the caller's role and tenancy scope.

One shared secret per deployment, so any service can verify a token another minted. Claims:
`sub`, `role`, `group_id`, `estates` (ids, or `["*"]` for the whole group), `exp`, `iat`, `iss`, `aud`,
and optional `name`, `locale`. A token is refused unless its issuer and audience are the platform's
and its lifetime (`exp - iat`) is at most `MAX_TOKEN_LIFETIME`: a stolen 100-year token is no token.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

import jwt
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, field_validator

from huifang_infra.auth.principal import ALL_ESTATES, Principal, Role

ALGORITHM = "HS256"

#: What `huifang token mint` and local stacks use when `HUIFANG_JWT_SECRET` is not set. Public by
#: design, so a deployment must never accept it: `check_jwt_secret` refuses it outside "local".
DEVELOPMENT_JWT_SECRET = "huifang-development-only-secret-never-use-in-production"

#: RFC 7518 §3.2: an HS256 key must be at least as long as the hash output (256 bits).
MIN_SECRET_BYTES = 32

#: Who mints the platform's tokens and who they are for: every service verifies every token.
ISSUER = "huifang"
AUDIENCE = "huifang"

#: The longest a token may live (a console sign-in lasts 12 hours; the longest `huifang token mint`).
MAX_TOKEN_LIFETIME = timedelta(hours=24)

_Id = Annotated[str, StringConstraints(min_length=1, max_length=128)]


class TokenInvalid(Exception):
    """The token is missing a claim, badly signed, expired or otherwise unusable (→ 401)."""


@dataclass(frozen=True, slots=True)
class AuthConfig:
    """How a service verifies tokens; built at the composition root from the service's settings."""

    secret: str
    issuer: str | None = ISSUER
    audience: str | None = AUDIENCE
    leeway_s: float = 0.0
    max_lifetime: timedelta = MAX_TOKEN_LIFETIME

    def __post_init__(self) -> None:
        if len(self.secret.encode()) < MIN_SECRET_BYTES:
            raise ValueError(f"the JWT secret must be at least {MIN_SECRET_BYTES} bytes")


def check_jwt_secret(secret: str, *, environment: str) -> str:
    """For settings validators: a short secret never; the public development secret only locally."""
    if len(secret.encode()) < MIN_SECRET_BYTES:
        raise ValueError(f"the JWT secret must be at least {MIN_SECRET_BYTES} bytes")
    if secret == DEVELOPMENT_JWT_SECRET and environment != "local":
        raise ValueError(f"the development JWT secret is public; set a real one for environment {environment!r}")
    return secret


class _Claims(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    sub: _Id
    role: Role
    group_id: _Id
    estates: list[str] = Field(max_length=10_000)
    name: str | None = Field(default=None, max_length=200)
    locale: str | None = Field(default=None, max_length=35)

    @field_validator("estates")
    @classmethod
    def _wildcard_alone(cls, estates: list[str]) -> list[str]:
        # "*" mixed with ids is ambiguous; refusing it keeps a typo from widening anyone's scope.
        if ALL_ESTATES in estates and len(estates) > 1:
            raise ValueError('"*" must be the only entry of estates')
        if any(not e for e in estates):
            raise ValueError("estate ids must not be empty")
        return estates


def mint_token(
    secret: str,
    sub: str,
    role: Role | str,
    group_id: str,
    estates: Sequence[str],
    ttl: timedelta,
    *,
    name: str | None = None,
    locale: str | None = None,
    issuer: str | None = ISSUER,
    audience: str | None = AUDIENCE,
    now: datetime | None = None,
) -> str:
    """A signed token; `now` defaults to the wall clock (tests pass one to mint expired tokens)."""
    if ttl > MAX_TOKEN_LIFETIME:
        raise ValueError(f"a token lives at most {MAX_TOKEN_LIFETIME}; {ttl} asked")
    issued = now if now is not None else datetime.now(UTC)
    claims = _Claims(sub=sub, role=Role(role), group_id=group_id, estates=list(estates), name=name, locale=locale)
    payload: dict[str, Any] = claims.model_dump(exclude_none=True, mode="json")
    payload |= {"iat": int(issued.timestamp()), "exp": int((issued + ttl).timestamp())}
    if issuer is not None:
        payload["iss"] = issuer
    if audience is not None:
        payload["aud"] = audience
    return jwt.encode(payload, secret, algorithm=ALGORITHM)


def decode_token(token: str, config: AuthConfig) -> Principal:
    """The principal a token proves, or `TokenInvalid` saying why it proves nothing."""
    required = ["exp", "iat", "sub", *(["iss"] if config.issuer else []), *(["aud"] if config.audience else [])]
    try:
        payload = jwt.decode(
            token,
            config.secret,
            algorithms=[ALGORITHM],  # fixed: never let the token choose ("none", RS/HS confusion)
            issuer=config.issuer,
            audience=config.audience,
            leeway=config.leeway_s,
            options={"require": required},
        )
        if payload["exp"] - payload["iat"] > config.max_lifetime.total_seconds():
            raise TokenInvalid(f"token lifetime exceeds {config.max_lifetime}")
        claims = _Claims.model_validate(payload)
    except jwt.ExpiredSignatureError as exc:
        raise TokenInvalid("token expired") from exc
    except jwt.InvalidTokenError as exc:
        raise TokenInvalid(f"invalid token: {exc}") from exc
    except ValidationError as exc:
        fields = ", ".join(".".join(str(p) for p in err["loc"]) for err in exc.errors())
        raise TokenInvalid(f"invalid claims: {fields}") from exc
    estates = None if claims.estates == [ALL_ESTATES] else frozenset(claims.estates)
    return Principal(
        sub=claims.sub,
        role=claims.role,
        group_id=claims.group_id,
        estate_ids=estates,
        name=claims.name,
        locale=claims.locale,
    )
