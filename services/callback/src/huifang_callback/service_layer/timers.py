"""Issue 6 §4: durable timers. A due or overdue transition is a command on the callback's stream.

Candidates are read from the callbacks projection `FOR UPDATE SKIP LOCKED`, so two instances take
different rows; the stream's expected version refuses a transition decided on a stale state, so two
ticks never emit `CallbackDue` (or `CallbackOverdue`) twice. Whatever fell due while the service was
down is caught up on the first tick, oldest first, a batch per transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from huifang_infra.clock import Clock
from huifang_infra.db import Connection, Pool, transaction
from huifang_infra.eventstore import WrongExpectedVersion
from huifang_infra.repository import Cause, Command

from huifang_callback.adapters.callbacks import due_now, overdue_now
from huifang_callback.domain.commands import CallbackCommand, MarkDue, MarkOverdue
from huifang_callback.service_layer.callbacks import CallbackRepository, stream_of

log = logging.getLogger(__name__)

#: The projection rows ready for a transition (`due_now`, `overdue_now`).
Candidates = Callable[[Connection, datetime, int], Awaitable[list[dict[str, Any]]]]
#: Conflicting batches retried at once before the tick gives up (the next tick tries again).
RETRIES = 3


@dataclass
class TickResult:
    due: int = 0
    overdue: int = 0


async def fire_timers(pool: Pool, callbacks: CallbackRepository, clock: Clock, batch_size: int = 500) -> TickResult:
    now = clock()
    # Due first, so a callback both due and past its deadline is announced before it is late.
    due = await _drain(pool, callbacks, due_now, MarkDue(now), now, batch_size)
    overdue = await _drain(pool, callbacks, overdue_now, MarkOverdue(now), now, batch_size)
    return TickResult(due=due, overdue=overdue)


async def _drain(
    pool: Pool,
    callbacks: CallbackRepository,
    candidates: Candidates,
    command: CallbackCommand,
    at: datetime,
    batch_size: int,
) -> int:
    """Move a batch per transaction until a batch comes back short; how many moved."""
    moved, conflicts = 0, 0
    while True:
        try:
            async with transaction(pool) as conn:
                rows = await candidates(conn, at, batch_size)
                decided = await callbacks.execute_many(conn, [_command(row, command) for row in rows])
        except WrongExpectedVersion as exc:  # an outcome landed on one of them meanwhile: decide again
            conflicts += 1
            if conflicts > RETRIES:
                log.warning("timers: gave up this tick after %d conflicts (%s)", conflicts, exc)
                return moved
            continue
        now_moved = sum(1 for d in decided if d.events)
        moved += now_moved
        if len(rows) < batch_size or not now_moved:
            return moved


def _command(row: dict[str, Any], command: CallbackCommand) -> Command[CallbackCommand]:
    cause = Cause(group_id=row["group_id"], estate_id=row["estate_id"], correlation_id=row["correlation_id"],
                  actor="timer")  # fmt: skip
    return Command(stream_of(row["callback_id"]), command, cause)
