"""Bearer tokens and tenancy (issue 4, item 12): 401 without a good token, 403 outside scope or role."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from typing import Annotated

import jwt
import pytest
from fastapi import Depends, FastAPI
from httpx import ASGITransport, AsyncClient
from huifang_devstack.cli import app as cli_app
from huifang_infra.auth import (
    DEVELOPMENT_JWT_SECRET,
    AuthConfig,
    CurrentPrincipal,
    Principal,
    Role,
    Scope,
    TokenInvalid,
    check_jwt_secret,
    configure_auth,
    decode_token,
    mint_token,
    require_role,
    require_scope,
)
from huifang_infra.auth.tokens import AUDIENCE, ISSUER, MAX_TOKEN_LIFETIME
from typer.testing import CliRunner

pytestmark = pytest.mark.unit

SECRET = "a-test-secret-that-is-long-enough-for-hs256"
CONFIG = AuthConfig(SECRET)
HOUR = timedelta(hours=1)


def token(
    role: Role = Role.office_manager,
    estates: list[str] | None = None,
    *,
    issuer: str | None = ISSUER,
    audience: str | None = AUDIENCE,
) -> str:
    estates = ["E1", "E2"] if estates is None else estates
    return mint_token(SECRET, "u1", role, "G1", estates, HOUR, issuer=issuer, audience=audience)


def bearer(value: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {value}"}


def make_app(config: AuthConfig = CONFIG) -> FastAPI:
    app = FastAPI()
    configure_auth(app, config)

    @app.get("/groups/{group_id}/estates/{estate_id}/callbacks")
    async def callbacks(group_id: str, estate_id: str, principal: CurrentPrincipal) -> dict[str, str]:
        require_scope(principal, group_id, estate_id)
        return {"sub": principal.sub, "estate": estate_id}

    @app.post("/corrective-actions")
    async def corrective_action(
        principal: Annotated[Principal, Depends(require_role(Role.quality_dept, Role.property_director))],
    ) -> dict[str, str]:
        return {"by": principal.role}

    return app


def client_of(app: FastAPI) -> AsyncClient:
    return AsyncClient(transport=ASGITransport(app=app), base_url="http://test")


@pytest.fixture
async def client() -> AsyncIterator[AsyncClient]:
    async with client_of(make_app()) as http:
        yield http


URL = "/groups/G1/estates/E1/callbacks"


async def test_inside_scope_is_200(client: AsyncClient) -> None:
    response = await client.get(URL, headers=bearer(token()))
    assert response.status_code == 200
    assert response.json() == {"sub": "u1", "estate": "E1"}


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Basic dTpw"}, {"Authorization": "Bearer"}],
    ids=["missing", "other-scheme", "empty-bearer"],
)
async def test_no_bearer_token_is_401_with_a_challenge(client: AsyncClient, headers: dict[str, str]) -> None:
    response = await client.get(URL, headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"


def _expired() -> str:
    return mint_token(SECRET, "u1", Role.receptionist, "G1", ["E1"], HOUR, now=datetime.now(UTC) - 2 * HOUR)


def _other_secret() -> str:
    return mint_token("another-secret-also-long-enough-for-hs256!", "u1", Role.receptionist, "G1", ["E1"], HOUR)


def _registered(lifetime: timedelta = HOUR) -> dict[str, object]:
    """The registered claims every valid token carries: issuer, audience, issued now, expiring later."""
    now = datetime.now(UTC)
    return {"iss": ISSUER, "aud": AUDIENCE, "iat": now, "exp": now + lifetime}


def _unknown_role() -> str:
    payload = {"sub": "u1", "role": "janitor", "group_id": "G1", "estates": ["E1"], **_registered()}
    return jwt.encode(payload, SECRET, algorithm="HS256")


def _no_estates_claim() -> str:
    payload = {"sub": "u1", "role": "receptionist", "group_id": "G1", **_registered()}
    return jwt.encode(payload, SECRET, algorithm="HS256")


def _hundred_years() -> str:
    payload = {"sub": "u1", "role": "admin", "group_id": "G1", "estates": ["*"], **_registered(36500 * 24 * HOUR)}
    return jwt.encode(payload, SECRET, algorithm="HS256")


def _foreign_issuer() -> str:
    payload = {"sub": "u1", "role": "admin", "group_id": "G1", "estates": ["*"], **_registered(), "iss": "erp"}
    return jwt.encode(payload, SECRET, algorithm="HS256")


def _no_issuer() -> str:
    payload = {"sub": "u1", "role": "admin", "group_id": "G1", "estates": ["*"], **_registered()}
    del payload["iss"]
    return jwt.encode(payload, SECRET, algorithm="HS256")


def _other_audience() -> str:
    payload = {"sub": "u1", "role": "admin", "group_id": "G1", "estates": ["*"], **_registered(), "aud": "erp"}
    return jwt.encode(payload, SECRET, algorithm="HS256")


def _alg_none() -> str:
    payload = {"sub": "u1", "role": "admin", "group_id": "G1", "estates": ["*"], "exp": datetime.now(UTC) + HOUR}
    return jwt.encode(payload, None, algorithm="none")


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (_expired, "expired"),
        (_other_secret, "Signature verification failed"),
        (lambda: "not.a.jwt", "invalid token"),
        (lambda: "garbage", "invalid token"),
        (_unknown_role, "role"),
        (_no_estates_claim, "estates"),
        (_alg_none, "invalid token"),
        (_hundred_years, "lifetime"),
        (_foreign_issuer, "issuer"),
        (_no_issuer, "iss"),
        (_other_audience, "Audience"),
    ],
    ids=[
        "expired",
        "bad-signature",
        "malformed",
        "not-three-parts",
        "unknown-role",
        "missing-claim",
        "alg-none",
        "hundred-year-lifetime",
        "foreign-issuer",
        "no-issuer",
        "other-audience",
    ],
)
async def test_a_bad_token_is_401_invalid_token(client: AsyncClient, make: Callable[[], str], reason: str) -> None:
    response = await client.get(URL, headers=bearer(make()))
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Bearer error="invalid_token"'
    assert reason in response.json()["detail"]


async def test_an_estate_outside_the_token_is_403(client: AsyncClient) -> None:
    response = await client.get("/groups/G1/estates/E9/callbacks", headers=bearer(token()))
    assert response.status_code == 403


async def test_another_group_is_403_even_with_all_estates(client: AsyncClient) -> None:
    response = await client.get("/groups/G2/estates/E1/callbacks", headers=bearer(token(estates=["*"])))
    assert response.status_code == 403


async def test_all_estates_sees_any_estate_of_its_group(client: AsyncClient) -> None:
    response = await client.get(
        "/groups/G1/estates/E9/callbacks", headers=bearer(token(Role.quality_dept, estates=["*"]))
    )
    assert response.status_code == 200


async def test_a_role_not_admitted_is_403(client: AsyncClient) -> None:
    response = await client.post("/corrective-actions", headers=bearer(token(Role.receptionist)))
    assert response.status_code == 403
    assert "receptionist" in response.json()["detail"]


async def test_an_admitted_role_passes(client: AsyncClient) -> None:
    response = await client.post("/corrective-actions", headers=bearer(token(Role.quality_dept)))
    assert response.status_code == 200
    assert response.json() == {"by": "quality_dept"}


async def test_role_check_still_demands_a_token(client: AsyncClient) -> None:
    assert (await client.post("/corrective-actions")).status_code == 401


async def test_issuer_and_audience_are_enforced_when_configured() -> None:
    async with client_of(make_app(AuthConfig(SECRET, issuer="huifang", audience="callback"))) as client:
        good = await client.get(URL, headers=bearer(token(issuer="huifang", audience="callback")))
        wrong_audience = await client.get(URL, headers=bearer(token(issuer="huifang", audience="survey")))
        no_issuer = await client.get(URL, headers=bearer(token(issuer=None, audience="callback")))
    assert (good.status_code, wrong_audience.status_code, no_issuer.status_code) == (200, 401, 401)


async def test_an_app_without_auth_configured_refuses_to_serve() -> None:
    app = FastAPI()

    @app.get("/x")
    async def x(principal: CurrentPrincipal) -> str:
        return principal.sub

    async with client_of(app) as client:
        with pytest.raises(RuntimeError, match="configure_auth"):
            await client.get("/x", headers=bearer(token()))


def test_claims_round_trip_into_the_principal() -> None:
    minted = mint_token(SECRET, "u7", "site_captain", "G1", ["E2", "E1"], HOUR, name="王师傅", locale="zh-CN")
    assert decode_token(minted, CONFIG) == Principal(
        sub="u7",
        role=Role.site_captain,
        group_id="G1",
        estate_ids=frozenset({"E1", "E2"}),
        name="王师傅",
        locale="zh-CN",
    )


def test_scope_filter_gives_the_group_and_estates_or_none_for_all() -> None:
    listed = decode_token(token(estates=["E2", "E1"]), CONFIG)
    everything = decode_token(token(estates=["*"]), CONFIG)
    assert listed.scope_filter() == Scope("G1", ["E1", "E2"])
    assert everything.scope_filter() == ("G1", None)


def test_can_see_needs_both_group_and_estate() -> None:
    p = Principal(sub="u", role=Role.dispatcher, group_id="G1", estate_ids=frozenset({"E1"}))
    assert p.can_see("G1", "E1")
    assert not p.can_see("G1", "E2")
    assert not p.can_see("G2", "E1")


def test_a_wildcard_mixed_with_ids_is_refused_at_mint_and_at_decode() -> None:
    with pytest.raises(ValueError, match=r"\*"):
        mint_token(SECRET, "u1", Role.dispatcher, "G1", ["*", "E1"], HOUR)
    payload = {"sub": "u", "role": "dispatcher", "group_id": "G1", "estates": ["*", "E1"], **_registered()}
    with pytest.raises(TokenInvalid, match="estates"):
        decode_token(jwt.encode(payload, SECRET, algorithm="HS256"), CONFIG)


def test_a_token_longer_lived_than_the_maximum_is_refused_at_mint() -> None:
    """Issue 19 (3): the platform never issues what it would not accept."""
    with pytest.raises(ValueError, match="at most"):
        mint_token(SECRET, "u1", Role.admin, "G1", ["*"], MAX_TOKEN_LIFETIME + timedelta(seconds=1))
    assert decode_token(mint_token(SECRET, "u1", Role.admin, "G1", ["*"], MAX_TOKEN_LIFETIME), CONFIG).all_estates


def test_short_secrets_are_refused() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        AuthConfig("short")


def test_the_development_secret_is_accepted_only_locally() -> None:
    assert check_jwt_secret(DEVELOPMENT_JWT_SECRET, environment="local") == DEVELOPMENT_JWT_SECRET
    with pytest.raises(ValueError, match="public"):
        check_jwt_secret(DEVELOPMENT_JWT_SECRET, environment="production")


def test_cli_mints_a_token_the_services_accept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUIFANG_JWT_SECRET", SECRET)
    args = ["token", "mint", "--role", "office_manager", "--group", "G1", "--estate", "E1", "--estate", "E2"]
    result = CliRunner().invoke(cli_app, [*args, "--ttl", "8h"])
    assert result.exit_code == 0, result.output
    principal = decode_token(result.output.strip(), CONFIG)
    assert (principal.role, principal.group_id, principal.estate_ids) == (
        Role.office_manager,
        "G1",
        frozenset({"E1", "E2"}),
    )
    claims = jwt.decode(result.output.strip(), SECRET, algorithms=["HS256"], audience=AUDIENCE)
    assert claims["exp"] - claims["iat"] == 8 * 3600


def test_cli_defaults_to_the_development_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HUIFANG_JWT_SECRET", raising=False)
    result = CliRunner().invoke(cli_app, ["token", "mint", "--role", "admin", "--group", "G1", "--estate", "*"])
    assert result.exit_code == 0, result.output
    assert decode_token(result.output.strip(), AuthConfig(DEVELOPMENT_JWT_SECRET)).all_estates


def test_cli_rejects_a_bad_ttl() -> None:
    args = ["token", "mint", "--role", "admin", "--group", "G1", "--estate", "*", "--ttl", "soon"]
    result = CliRunner().invoke(cli_app, args)
    assert result.exit_code == 2
    assert "not a duration" in result.output


def test_a_verified_token_is_remembered_only_until_it_expires(monkeypatch: pytest.MonkeyPatch) -> None:
    from huifang_infra.auth import cache as cache_module

    verifications: list[str] = []

    def counting_decode(token: str, config: AuthConfig) -> Principal:
        verifications.append(token)
        return decode_token(token, config)

    monkeypatch.setattr(cache_module, "decode_token", counting_decode)
    now = [datetime.now(UTC).timestamp()]
    cache = cache_module.VerifiedTokens(clock=lambda: now[0])
    config = AuthConfig(DEVELOPMENT_JWT_SECRET)
    token = mint_token(DEVELOPMENT_JWT_SECRET, "u1", Role.receptionist, "G1", ["E1"], timedelta(seconds=60))
    first = cache.principal(token, config)
    assert cache.principal(token, config) is first
    assert len(verifications) == 1  # the second call did not verify again
    now[0] += 61  # past the token's exp: verified afresh, never served from memory
    cache.principal(token, config)
    assert len(verifications) == 2


def test_a_refused_token_is_not_remembered() -> None:
    from huifang_infra.auth.cache import VerifiedTokens

    cache = VerifiedTokens()
    forged = mint_token("x" * 40, "u1", Role.admin, "G1", ["*"], timedelta(minutes=5))
    for _ in range(2):
        with pytest.raises(TokenInvalid):
            cache.principal(forged, AuthConfig(DEVELOPMENT_JWT_SECRET))
