"""Issue 6 §4: durable timers. A claimed row changes state and its event enters the outbox together.

Rows are claimed `FOR UPDATE SKIP LOCKED` and updated only from the guarded state, so two ticks or two
instances never emit `CallbackDue` (or `CallbackOverdue`) twice; whatever fell due while the service
was down is caught up on the first tick, oldest first, a batch per transaction.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from huifang_contracts.envelope import Envelope
from huifang_infra.db import Connection, Pool, transaction
from huifang_infra.outbox import Outbox

from huifang_callback.adapters.callbacks import claim_due, claim_overdue
from huifang_callback.adapters.clock import Clock
from huifang_callback.service_layer import outgoing

#: Rows moved to the next state (`claim_due`, `claim_overdue`) and the event each announces.
Claim = Callable[[Connection, datetime, int], Awaitable[list[dict[str, Any]]]]
Announce = Callable[[dict[str, Any], datetime], Envelope]


@dataclass
class TickResult:
    due: int = 0
    overdue: int = 0


async def fire_timers(pool: Pool, outbox: Outbox, clock: Clock, batch_size: int = 500) -> TickResult:
    now = clock.now()
    # Due first, so a callback both due and past its deadline is announced before it is late.
    due = await _drain(pool, outbox, claim_due, outgoing.due, now, batch_size)
    overdue = await _drain(pool, outbox, claim_overdue, outgoing.overdue, now, batch_size)
    return TickResult(due=due, overdue=overdue)


async def _drain(pool: Pool, outbox: Outbox, claim: Claim, announce: Announce, now: datetime, batch_size: int) -> int:
    """Claim and announce a batch per transaction until a batch comes back short; how many were claimed."""
    claimed = 0
    while True:
        async with transaction(pool) as conn:
            rows = await claim(conn, now, batch_size)
            await outbox.add(conn, [announce(row, now) for row in rows])
        claimed += len(rows)
        if len(rows) < batch_size:
            return claimed
