"""Which failures are retried in place and which dead-letter the message (issue 19, points 1 and 8)."""

from __future__ import annotations

import asyncpg
import pytest
from asyncpg.exceptions import _base as asyncpg_base
from huifang_infra.transient import is_transient

pytestmark = pytest.mark.unit


def test_a_database_that_went_away_is_retried() -> None:
    assert is_transient(asyncpg.InterfaceError("connection has been released back to the pool"))
    assert is_transient(asyncpg.AdminShutdownError("terminating connection due to administrator command"))
    assert is_transient(ConnectionRefusedError(111, "refused"))


def test_a_value_asyncpg_cannot_encode_is_the_messages_fault_not_the_worlds() -> None:
    """An event holding 2^63 would otherwise be retried for ever and wedge its partition."""
    assert not is_transient(asyncpg_base.DataError("invalid input for query argument $1 (value out of int64 range)"))
    assert not is_transient(asyncpg.CharacterNotInRepertoireError("invalid byte sequence for encoding UTF8: 0x00"))
