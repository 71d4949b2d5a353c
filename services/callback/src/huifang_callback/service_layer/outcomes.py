"""Survey's outcomes as commands on the callback: attempts counted, completed or failed, and from a
dissatisfied complaint callback the decision to reopen the complaint (R-CB-10)."""

from __future__ import annotations

import logging

from huifang_contracts.envelope import Envelope
from huifang_contracts.survey import CallbackAttempted, CallbackCompleted, CallbackFailed
from huifang_infra.clock import Clock
from huifang_infra.db import Connection
from huifang_infra.repository import Cause

from huifang_callback.domain.commands import CallbackCommand, CompleteCallback, CountAttempt, FailCallback
from huifang_callback.service_layer.callbacks import CallbackRepository, stream_of

log = logging.getLogger(__name__)


class Outcomes:
    def __init__(self, callbacks: CallbackRepository, clock: Clock) -> None:
        self._callbacks, self._clock = callbacks, clock

    async def on_attempted(self, conn: Connection, event: CallbackAttempted, envelope: Envelope) -> None:
        # R-CB-11, R-RP-2: a late callback's CallbackOverdue reports the tries made before its deadline.
        await self._apply(conn, event.callback_id, CountAttempt(event.attempt_no), envelope)

    async def on_completed(self, conn: Connection, event: CallbackCompleted, envelope: Envelope) -> None:
        command = CompleteCallback(
            at=event.completed_at,
            decided_at=self._clock(),
            satisfied=event.satisfied_or_fair,
            attempts_used=event.attempts_used,
            reason=event.comments,
            occurred_at=envelope.occurred_at,
        )
        await self._apply(conn, event.callback_id, command, envelope)

    async def on_failed(self, conn: Connection, event: CallbackFailed, envelope: Envelope) -> None:
        # R-CB-11: the attempts are used up; the callback closes as failed and counts against success.
        command = FailCallback(at=envelope.occurred_at, attempts_used=event.attempts_used)
        await self._apply(conn, event.callback_id, command, envelope)

    async def _apply(self, conn: Connection, callback_id: str, command: CallbackCommand, envelope: Envelope) -> None:
        decided = await self._callbacks.execute(conn, stream_of(callback_id), command, Cause.of_envelope(envelope))
        if decided.state.record is None:
            log.info("%s for %s: unknown callback", type(command).__name__, callback_id)
        elif not decided.events:
            log.info("%s for %s: nothing to change (%s)", type(command).__name__, callback_id, decided.state.state)
