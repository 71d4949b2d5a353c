"""Password rules and hashing: argon2 through pwdlib; only the hash is ever stored."""

from __future__ import annotations

import asyncio

from pwdlib import PasswordHash

MIN_LENGTH = 8
MAX_LENGTH = 128

#: A hash of nothing anyone types, verified for unknown accounts so their answer takes as long.
_hasher = PasswordHash.recommended()
_DUMMY_HASH = _hasher.hash("huifang-no-such-account")


def password_problem(password: str, staff_id: str) -> str | None:
    """Why a new password is refused (Chinese first), or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return f"密码至少 {MIN_LENGTH} 位 / at least {MIN_LENGTH} characters"
    if len(password) > MAX_LENGTH:
        return f"密码最多 {MAX_LENGTH} 位 / at most {MAX_LENGTH} characters"
    if password.strip().lower() == staff_id.lower():
        return "密码不能与用户名相同 / must differ from the user name"
    if password.isdigit() or password.isalpha():
        return "密码须同时包含字母和数字 / needs letters and digits"
    return None


async def hash_password(password: str) -> str:
    # argon2 is deliberately slow (hundreds of ms): keep it off the event loop.
    return await asyncio.to_thread(_hasher.hash, password)


async def verify_password(password: str, password_hash: str | None) -> bool:
    if password_hash is None:
        await asyncio.to_thread(_hasher.verify, password, _DUMMY_HASH)
        return False
    return await asyncio.to_thread(_hasher.verify, password, password_hash)
