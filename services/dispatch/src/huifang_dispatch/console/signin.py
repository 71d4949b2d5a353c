"""Sign-in, password change and sign-out: the password checked, the lockout kept, the token minted.

A refusal says nothing an attacker could use: an unknown name, a wrong password, a locked account and
an address that tried too often all get one answer after one password check's time. Locks count per
account (`lockout_*`) and per client address (`signin_client_*`).

The token is the platform's bearer JWT (`huifang_infra.auth.mint_token`), so survey, callback and
reporting accept it as they accept any other. Tokens are short-lived (`console_token_ttl_minutes`,
10 minutes) and the open console refreshes them (`/auth/refresh`); sign-out and a password change set
`tokens_valid_after`, which the console's own endpoints, refresh included, check at once — so the
other services, which verify only the signature, stop accepting a signed-out session within one
token's life, not after a 12-hour token runs out.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from huifang_contracts.enums import StaffRole
from huifang_infra.auth import mint_token
from huifang_infra.db import Connection

from huifang_dispatch.config import DispatchSettings
from huifang_dispatch.console import credentials
from huifang_dispatch.console.lockout import LockoutPolicy, after_failure
from huifang_dispatch.console.passwords import verify_password
from huifang_dispatch.console.roles import estates_claim, platform_role


@dataclass(frozen=True)
class Issued:
    token: str
    expires_in: int
    staff_id: str
    name: str
    role: str
    group_id: str
    estate_id: str
    must_change: bool


@dataclass(frozen=True)
class Refused:
    """`code` is the OAuth2-style reason (RFC 6749 §5.2)."""

    code: str
    detail: str


def lockout_policy(settings: DispatchSettings) -> LockoutPolicy:
    return LockoutPolicy(
        max_failures=settings.lockout_max_failures,
        window=timedelta(minutes=settings.lockout_window_minutes),
        lock_for=timedelta(minutes=settings.lockout_minutes),
    )


#: The one answer to every refused try — unknown name, wrong password, locked account, too many tries
#: from one address — after the same password check: neither the answer nor its time says which.
WRONG = Refused("invalid_grant", "用户名或密码错误 / wrong user name or password")


async def sign_in(
    conn: Connection, settings: DispatchSettings, staff_id: str, password: str, now: datetime, client: str | None
) -> Issued | Refused:
    """Check one try; failures and locks are written even though the caller gets a refusal."""
    if client is not None and await _client_throttled(conn, settings, client, now):
        await verify_password(password, None)
        await credentials.record_attempt(conn, staff_id, None, now, "locked", client)
        return WRONG
    row = await credentials.lock_account(conn, staff_id)
    if row is None or row["password_hash"] is None:
        await verify_password(password, None)  # the same wait as a real account: names are not probed
        await credentials.record_attempt(conn, staff_id, row, now, "unknown", client)
        return WRONG
    state = credentials.failure_state(row)
    if state.locked_at(now):
        await verify_password(password, row["password_hash"])  # as long as any other try
        await credentials.record_attempt(conn, staff_id, row, now, "locked", client)
        return WRONG
    if not await verify_password(password, row["password_hash"]):
        state = after_failure(state, now, lockout_policy(settings))
        await credentials.save_failures(conn, staff_id, state)
        await credentials.record_attempt(conn, staff_id, row, now, "bad_password", client)
        return WRONG
    role = StaffRole(row["role"])
    platform = platform_role(role)
    if not row["active"] or platform is None:
        await credentials.record_attempt(conn, staff_id, row, now, "inactive", client)
        return Refused("account_inactive", "账号已停用 / account inactive")  # said only to the password's holder
    await credentials.signed_in(conn, staff_id, now)
    await credentials.record_attempt(conn, staff_id, row, now, "ok", client)
    return await issue_token(settings, dict(row), row["tokens_valid_after"])


async def _client_throttled(conn: Connection, settings: DispatchSettings, client: str, now: datetime) -> bool:
    """Too many refused tries from one address in the window, over whatever names: guessing across
    accounts is limited like guessing one account's password."""
    since = now - timedelta(minutes=settings.signin_client_window_minutes)
    return await credentials.refusals_from(conn, client, since) >= settings.signin_client_max_failures


def wall_clock() -> datetime:
    """Token times follow the wall clock every verifying service reads, never a service's test clock."""
    return datetime.now(UTC)


async def issue_token(settings: DispatchSettings, row: Mapping[str, Any], valid_after: datetime | None) -> Issued:
    """The platform's bearer JWT for a staff row (sub = staff id, role mapped, the estates they cover)."""
    now = await _after_revocation(valid_after)
    role = StaffRole(row["role"])
    platform = platform_role(role)
    assert platform is not None
    ttl = timedelta(minutes=settings.console_token_ttl_minutes)
    token = mint_token(
        settings.jwt_secret.get_secret_value(),
        sub=row["staff_id"],
        role=platform,
        group_id=row["group_id"],
        estates=estates_claim(role, row["estate_id"]),
        ttl=ttl,
        name=row["name"],
        now=now,
    )
    return Issued(
        token=token,
        expires_in=int(ttl.total_seconds()),
        staff_id=row["staff_id"],
        name=row["name"],
        role=role.value,
        group_id=row["group_id"],
        estate_id=row["estate_id"],
        must_change=bool(row["must_change"]),
    )


async def _after_revocation(valid_after: datetime | None) -> datetime:
    """`iat` has whole seconds and may not lie in the future: a token minted in the very second of a
    sign-out would look older than it, so wait (under a second) for the next one."""
    now = wall_clock()
    if valid_after is not None and now.timestamp() < math.ceil(valid_after.timestamp()):
        await asyncio.sleep(math.ceil(valid_after.timestamp()) - now.timestamp())
        now = wall_clock()
    return now


def token_still_valid(issued_at: int, valid_after: datetime | None) -> bool:
    """The console refuses tokens minted before the last sign-out or password change."""
    return valid_after is None or issued_at >= math.ceil(valid_after.timestamp())
