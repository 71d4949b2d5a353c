"""Issue 6 §3: intake's events → `CallbackScheduled` (and `CallbackDue` at once when due, R-CB-7).

One batch of events is one transaction (the consumer's): closed orders join the sample population,
callbacks are inserted in one statement, and their events go to the outbox with them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from huifang_contracts.envelope import Envelope
from huifang_infra.db import Connection
from huifang_infra.outbox import Outbox

from huifang_callback.adapters import callbacks as table
from huifang_callback.adapters.clock import Clock
from huifang_callback.adapters.orders import keep_closed_orders
from huifang_callback.domain.callback import Callback
from huifang_callback.domain.fatigue import tired_units
from huifang_callback.domain.planning import plan_for
from huifang_callback.domain.sources import Source
from huifang_callback.domain.windows import month_of
from huifang_callback.service_layer import outgoing
from huifang_callback.service_layer.policy_book import EstateRules, PolicyBook
from huifang_callback.service_layer.sources import source_of


class Scheduling:
    def __init__(self, outbox: Outbox, clock: Clock) -> None:
        self._outbox, self._clock = outbox, clock

    async def on_events(self, conn: Connection, batch: list[tuple[Any, Envelope]]) -> None:
        """The batch handler for every trigger type; order within the batch is kept."""
        await self.schedule(conn, [(source_of(event), envelope) for event, envelope in batch])

    async def schedule(self, conn: Connection, items: Sequence[tuple[Source, Envelope]]) -> list[Callback]:
        now = self._clock.now()
        book = PolicyBook()
        await book.preload(conn, {(envelope.group_id, envelope.estate_id) for _, envelope in items})
        tired = _FatigueLedger(now)
        orders: list[tuple[Any, ...]] = []
        owed: list[tuple[Callback, table.Cause]] = []
        for source, envelope in items:
            rules = await book.for_estate(conn, envelope.group_id, envelope.estate_id)
            if source.event_type == "intake.OrderClosed":
                orders.append(_order_row(source, envelope, rules))
            plan = plan_for(rules.policy, source, rules.calendar)
            if not plan.schedules or plan.rule is None:
                continue
            if not plan.rule.mandatory and await tired.is_tired(conn, rules, source.unit_id):
                continue  # issue 6 §7: this household was contacted enough lately
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
            owed.append((callback, (envelope.correlation_id, envelope.event_id)))
        await keep_closed_orders(conn, orders)
        await self.persist(conn, owed, now)
        return [callback for callback, _ in owed]

    async def persist(
        self,
        conn: Connection,
        owed: Sequence[tuple[Callback, table.Cause]],
        now: datetime,
        also: Sequence[Envelope] = (),
    ) -> None:
        """Insert, then publish `CallbackScheduled` (and `CallbackDue` for open windows) with `also`."""
        inserted = await table.insert_callbacks(conn, owed, now)
        envelopes = list(also)
        for cb, cause in owed:
            if cb.callback_id not in inserted:
                continue
            inserted.discard(cb.callback_id)  # the same source twice in one batch: published once
            envelopes.append(outgoing.scheduled(cb, correlation_id=cause[0], causation_id=cause[1], at=now))
            if cb.window.due_at <= now:  # R-CB-7: inserted as due, announced in the same transaction
                envelopes.append(outgoing.due(_due_row(cb, cause), now))
        await self._outbox.add(conn, envelopes)


def _due_row(cb: Callback, cause: table.Cause) -> dict[str, Any]:
    return {
        "callback_id": cb.callback_id,
        "group_id": cb.group_id,
        "estate_id": cb.estate_id,
        "due_at": cb.window.due_at,
        "deadline": cb.window.deadline,
        "method": cb.method.value,
        "caller_role": cb.caller_role.value,
        "correlation_id": cause[0],
    }


class _FatigueLedger:
    """Recent non-mandatory contacts per household, read once per estate and counted on within the batch."""

    def __init__(self, now: datetime) -> None:
        self._now = now
        self._counts: dict[str, dict[str, int]] = {}

    async def is_tired(self, conn: Connection, rules: EstateRules, unit_id: str | None) -> bool:
        fatigue = rules.policy.body.fatigue
        if fatigue is None or unit_id is None:
            return False
        estate_id = rules.estate.estate_id
        if estate_id not in self._counts:
            self._counts[estate_id] = await table.recent_contacts(conn, estate_id, table.since(self._now, fatigue.days))
        counts = self._counts[estate_id]
        if unit_id in tired_units(counts, fatigue):
            return True
        counts[unit_id] = counts.get(unit_id, 0) + 1
        return False


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
