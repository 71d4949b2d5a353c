"""Which failures are the world's (retry in place) and which are the message's (dead-letter it)."""

from __future__ import annotations

import asyncio

import asyncpg
from aiokafka.errors import KafkaConnectionError, KafkaTimeoutError, NodeNotReadyError, RequestTimedOutError
from asyncpg.exceptions import _base as asyncpg_base

from huifang_infra.eventstore import WrongExpectedVersion

TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    OSError,
    asyncio.TimeoutError,
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,
    asyncpg.TooManyConnectionsError,
    asyncpg.CannotConnectNowError,
    asyncpg.SerializationError,
    asyncpg.DeadlockDetectedError,
    asyncpg.AdminShutdownError,
    KafkaConnectionError,
    KafkaTimeoutError,
    NodeNotReadyError,
    RequestTimedOutError,
    # A stream moved under a poll's commands (a timer and a consumer on one callback): the poll is
    # rolled back and re-run on a fresh load, where the decider sees what the other writer did.
    WrongExpectedVersion,
)


#: A value asyncpg cannot encode (an int beyond 64 bits) is an `InterfaceError` too, but the message's:
#: retried in place it would wedge the consumer on that record for ever.
NEVER_TRANSIENT: tuple[type[BaseException], ...] = (asyncpg_base.DataError,)


def is_transient(exc: BaseException) -> bool:
    """A database or broker that is away, busy or restarting: the same work will succeed later."""
    return isinstance(exc, TRANSIENT_ERRORS) and not isinstance(exc, NEVER_TRANSIENT)
