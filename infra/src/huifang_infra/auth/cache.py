"""Verified tokens remembered until they expire: a client sends the same bearer token on every call.

Verifying is a signature check plus claim validation on every request — about a tenth of a small
command's CPU. A token's verdict cannot change before its `exp` (the secret is fixed for the
process), so the principal is kept until then; the cache is bounded and forgets the oldest first.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable

import jwt

from huifang_infra.auth.principal import Principal
from huifang_infra.auth.tokens import AuthConfig, decode_token

MAX_ENTRIES = 10_000


class VerifiedTokens:
    def __init__(self, max_entries: int = MAX_ENTRIES, clock: Callable[[], float] = time.time) -> None:
        self._entries: OrderedDict[tuple[str, AuthConfig], tuple[Principal, float]] = OrderedDict()
        self._max, self._clock = max_entries, clock

    def principal(self, token: str, config: AuthConfig) -> Principal:
        """The token's principal; `TokenInvalid` as `decode_token` raises it (refusals are not kept)."""
        key = (token, config)
        hit = self._entries.get(key)
        if hit is not None:
            principal, expires = hit
            if self._clock() < expires:
                self._entries.move_to_end(key)
                return principal
            del self._entries[key]
        principal = decode_token(token, config)  # raises for a bad or expired token
        exp = jwt.decode(token, options={"verify_signature": False})["exp"]  # required and verified above
        self._entries[key] = (principal, float(exp) + config.leeway_s)
        if len(self._entries) > self._max:
            self._entries.popitem(last=False)
        return principal
