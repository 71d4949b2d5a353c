"""Survey's outcomes close the timer; a dissatisfied complaint callback reopens the complaint (R-CB-10)."""

from __future__ import annotations

import logging

from huifang_contracts.enums import StaffRole
from huifang_contracts.envelope import Envelope
from huifang_contracts.survey import CallbackAttempted, CallbackCompleted, CallbackFailed
from huifang_infra.db import Connection
from huifang_infra.outbox import Outbox

from huifang_callback.adapters.callbacks import close_callback, record_attempt
from huifang_callback.adapters.clock import Clock
from huifang_callback.domain.model import CallbackState
from huifang_callback.domain.reopen import reopening_after
from huifang_callback.service_layer import outgoing

log = logging.getLogger(__name__)

#: Only a resolved complaint can go back in progress; an order's or a renovation's callback cannot.
REOPENABLE = "intake.ComplaintResolved"


class Outcomes:
    def __init__(self, outbox: Outbox, clock: Clock) -> None:
        self._outbox, self._clock = outbox, clock

    async def on_attempted(self, conn: Connection, event: CallbackAttempted, envelope: Envelope) -> None:
        # R-CB-11, R-RP-2: a late callback's CallbackOverdue reports the tries made before its deadline.
        if not await record_attempt(conn, event.callback_id, event.attempt_no):
            log.info("CallbackAttempted for %s: unknown callback", event.callback_id)

    async def on_completed(self, conn: Connection, event: CallbackCompleted, envelope: Envelope) -> None:
        row = await close_callback(
            conn,
            event.callback_id,
            CallbackState.COMPLETED,
            event.completed_at,
            satisfied=event.satisfied_or_fair,
            attempts=event.attempts_used,
        )
        if row is None:
            log.info("CallbackCompleted for %s: unknown or already closed", event.callback_id)
            return
        if event.satisfied_or_fair or row["source_type"] != REOPENABLE:
            return
        # R-CB-10: dissatisfied → back to the department; from the cap on, escalated one step per round.
        path = [StaffRole(r) for r in row["escalation"] or []]
        reopening = reopening_after(row["round"], row["reopen_cap"], path)
        reopened = outgoing.reopened(
            row,
            next_round=reopening.next_round,
            escalate_to=reopening.escalate_to_role,
            reason=event.comments,
            cause=envelope,
            at=self._clock.now(),
        )
        await self._outbox.add(conn, [reopened])

    async def on_failed(self, conn: Connection, event: CallbackFailed, envelope: Envelope) -> None:
        # R-CB-11: the attempts are used up; the callback closes as failed and counts against success.
        row = await close_callback(
            conn,
            event.callback_id,
            CallbackState.FAILED,
            envelope.occurred_at,
            satisfied=None,
            attempts=event.attempts_used,
        )
        if row is None:
            log.info("CallbackFailed for %s: unknown or already closed", event.callback_id)
