"""Issue 6 §3: intake's events → a `ScheduleCallback` command per callback the policy requires.

One batch of events is one transaction (the consumer's): closed orders join the sample population, and
the callbacks' streams are loaded, decided and appended in one statement each, their projection and
their `CallbackScheduled` (and `CallbackDue` when already due, R-CB-7) written with them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from huifang_contracts.envelope import Envelope
from huifang_contracts.intake import OrderClosed
from huifang_infra.clock import Clock
from huifang_infra.db import Connection
from huifang_infra.repository import Cause, Command

from huifang_callback.adapters import callbacks as table
from huifang_callback.adapters.orders import keep_closed_orders
from huifang_callback.domain.callback import Callback
from huifang_callback.domain.commands import CallbackCommand, ScheduleCallback
from huifang_callback.domain.planning import plan_for
from huifang_callback.domain.sources import Source
from huifang_callback.domain.windows import month_of
from huifang_callback.service_layer.callbacks import CallbackRepository, stream_of
from huifang_callback.service_layer.policy_book import EstateRules, PolicyBook
from huifang_callback.service_layer.sources import source_of


class Scheduling:
    def __init__(self, callbacks: CallbackRepository, clock: Clock) -> None:
        self._callbacks, self._clock = callbacks, clock

    async def on_events(self, conn: Connection, batch: list[tuple[Any, Envelope]]) -> None:
        """The batch handler for every trigger type; order within the batch is kept."""
        await self.schedule(conn, [(source_of(event), envelope) for event, envelope in batch])

    async def schedule(self, conn: Connection, items: Sequence[tuple[Source, Envelope]]) -> list[Callback]:
        now = self._clock()
        book = PolicyBook()
        await book.preload(conn, {(envelope.group_id, envelope.estate_id) for _, envelope in items})
        contacts = _FatigueLedger(now)
        orders: list[tuple[Any, ...]] = []
        owed: list[Callback] = []
        commands: list[Command[CallbackCommand]] = []
        for source, envelope in items:
            rules = await book.for_estate(conn, envelope.group_id, envelope.estate_id)
            if source.event_type == OrderClosed.TYPE:
                orders.append(_order_row(source, envelope, rules))
            plan = plan_for(rules.policy, source, rules.calendar)
            if not plan.schedules or plan.rule is None:
                continue
            assert plan.window and plan.method and plan.caller_role
            callback = Callback.owed(
                group_id=envelope.group_id,
                estate_id=envelope.estate_id,
                source=source,
                rule=plan.rule,
                policy=rules.policy,
                window=plan.window,
                method=plan.method,
                caller_role=plan.caller_role,
                apology=plan.apology,
            )
            fatigue = None if plan.rule.mandatory else rules.policy.body.fatigue
            recent = await contacts.count(conn, rules, source.unit_id) if fatigue else 0
            record = callback.record(correlation_id=envelope.correlation_id, cause_event_id=envelope.event_id)
            command = ScheduleCallback(record, now, fatigue, recent)
            commands.append(Command(stream_of(callback.callback_id), command, Cause.of_envelope(envelope)))
            owed.append(callback)
        await keep_closed_orders(conn, orders)
        await self._callbacks.execute_many(conn, commands)
        return owed


class _FatigueLedger:
    """Recent non-mandatory contacts per household, read once per estate and counted on within the batch."""

    def __init__(self, now: datetime) -> None:
        self._now = now
        self._counts: dict[str, dict[str, int]] = {}

    async def count(self, conn: Connection, rules: EstateRules, unit_id: str | None) -> int:
        """The household's contacts so far; one more is counted when it stays under the limit (scheduled)."""
        fatigue = rules.policy.body.fatigue
        if fatigue is None or unit_id is None:
            return 0
        estate_id = rules.estate.estate_id
        if estate_id not in self._counts:
            self._counts[estate_id] = await table.recent_contacts(conn, estate_id, table.since(self._now, fatigue.days))
        counts = self._counts[estate_id]
        found = counts.get(unit_id, 0)
        if found < fatigue.max_contacts:
            counts[unit_id] = found + 1
        return found


def _order_row(source: Source, envelope: Envelope, rules: EstateRules) -> tuple[Any, ...]:
    return (
        source.source_id,
        envelope.group_id,
        envelope.estate_id,
        source.kind.value,
        source.category or "",
        source.subcategory,
        source.unit_id,
        source.department,
        source.requester_name,
        source.requester_phone,
        source.erp_id,
        source.urgent,
        source.occurred_at,
        month_of(source.occurred_at, rules.calendar),
        envelope.correlation_id,
        source.worker_id,
    )
