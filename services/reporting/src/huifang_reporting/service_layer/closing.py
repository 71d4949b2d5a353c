"""Closing a month and issuing corrective-action notices (R-SV-5), exactly once per estate, month, KPI.

The notice row (unique per estate, period, metric) and its outbox row commit in one transaction; a
second close — the loop again, a request, another instance — inserts nothing and publishes nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from huifang_contracts.envelope import Envelope
from huifang_contracts.reporting import CorrectiveActionRequired
from huifang_infra.db import Connection, transaction
from huifang_infra.outbox import Outbox

from huifang_reporting.adapters import actions as store
from huifang_reporting.adapters.queries import estate_month
from huifang_reporting.domain.targets import action_deadline, action_id, breaches, targets_for

log = logging.getLogger(__name__)
Clock = Callable[[], datetime]


async def close_month(
    conn: Connection,
    outbox: Outbox,
    group_id: str,
    estate_id: str,
    month: str,
    *,
    now: datetime,
    by: str,
    deadline_days: int,
) -> list[CorrectiveActionRequired]:
    """Mark the month closed and issue a notice for every rate below target not yet noticed."""
    await store.mark_closed(conn, group_id, estate_id, month, now, by)
    counts = await estate_month(conn, group_id, estate_id, month)
    targets = targets_for(estate_id, await store.target_rows(conn, group_id))
    issued, envelopes = [], []
    for breach in breaches(counts, targets):
        event = CorrectiveActionRequired(
            action_id=action_id(group_id, estate_id, month, breach.metric),
            metric=breach.metric,
            period=month,
            target_percent=breach.target_percent,
            actual_percent=breach.actual_percent,
            deadline=action_deadline(now, deadline_days),
            issued_by=by,
        )
        row: dict[str, Any] = {
            "action_id": event.action_id,
            "group_id": group_id,
            "estate_id": estate_id,
            "period": month,
            "metric": breach.metric.value,
            "target_percent": breach.target_percent,
            "actual_percent": breach.actual_percent,
            "numerator": breach.ratio.numerator,
            "denominator": breach.ratio.denominator,
            "deadline": event.deadline,
            "issued_at": now,
        }
        if not await store.insert_action(conn, row):
            continue
        issued.append(event)
        envelopes.append(
            Envelope.wrap(
                event,
                group_id=group_id,
                estate_id=estate_id,
                aggregate_id=event.action_id,
                producer="reporting",
                occurred_at=now,
                recorded_at=now,
            )
        )
    await outbox.add(conn, envelopes)
    return issued


async def close_due_months(pool: Any, outbox: Outbox, clock: Clock, *, grace_days: int, deadline_days: int) -> int:
    """One tick: close every estate-month whose local end + grace has passed; returns how many."""
    now = clock()
    async with transaction(pool) as conn:
        due = await store.months_due_for_closing(conn, now, grace_days)
        for row in due:
            await close_month(
                conn,
                outbox,
                row["group_id"],
                row["estate_id"],
                row["month"],
                now=now,
                by="system",
                deadline_days=deadline_days,
            )
    return len(due)


def closing_loop(clock: Clock, *, interval_s: float, grace_days: int, deadline_days: int) -> Any:
    """The runtime's background loop deciding, by the injected clock, which months are closed."""

    async def month_closer(runtime: Any, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                closed = await close_due_months(
                    runtime.pool, runtime.outbox, clock, grace_days=grace_days, deadline_days=deadline_days
                )
                if closed:
                    log.info("reporting: closed %d estate-months", closed)
            except Exception:
                log.exception("reporting: closing months failed; retrying next tick")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=interval_s)

    return month_closer
