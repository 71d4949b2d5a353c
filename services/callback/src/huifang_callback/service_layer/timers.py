"""Issue 6 §4: durable timers. A claimed row changes state and its event enters the outbox together.

Rows are claimed `FOR UPDATE SKIP LOCKED` and updated only from the guarded state, so two ticks or two
instances never emit `CallbackDue` (or `CallbackOverdue`) twice; whatever fell due while the service
was down is caught up on the first tick, oldest first, a batch per transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from huifang_infra.db import Pool, transaction
from huifang_infra.outbox import Outbox

from huifang_callback.adapters.callbacks import claim_due, claim_overdue
from huifang_callback.adapters.clock import Clock
from huifang_callback.service_layer import outgoing


@dataclass
class TickResult:
    due: int = 0
    overdue: int = 0


async def fire_timers(pool: Pool, outbox: Outbox, clock: Clock, batch_size: int = 500) -> TickResult:
    result = TickResult()
    now = clock.now()
    while True:  # due first, so a callback both due and past its deadline is announced before it is late
        async with transaction(pool) as conn:
            rows = await claim_due(conn, now, batch_size)
            await outbox.add(conn, [outgoing.due(row, now) for row in rows])
        result.due += len(rows)
        if len(rows) < batch_size:
            break
    while True:
        async with transaction(pool) as conn:
            rows = await claim_overdue(conn, now, batch_size)
            await outbox.add(conn, [outgoing.overdue(row, now) for row in rows])
        result.overdue += len(rows)
        if len(rows) < batch_size:
            break
    return result
