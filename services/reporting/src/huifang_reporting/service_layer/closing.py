"""Closing a month and issuing corrective-action notices (R-SV-5), exactly once per estate, month, KPI.

The close itself is a `CloseMonth` command on the estate-month's stream (closed once; again, nothing).
Each rate below target is a `RequireAction` command on the notice's stream (its id derives from the
estate, month and KPI): the first close appends `ActionRequired`, projects the row and writes the
outbox in the caller's transaction; a second close — the loop again, a request — decides nothing.
Two instances closing at once: the later append fails on the stream's version, its transaction rolls
back, and its next attempt (the loop's next tick, the request's re-run) finds the notice there.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any, TypeVar

from huifang_contracts.reporting import CorrectiveActionRequired
from huifang_infra.db import Connection, Pool, transaction
from huifang_infra.eventstore import WrongExpectedVersion
from huifang_infra.repository import Cause, Command, ConcurrencyConflict

from huifang_reporting.adapters import actions as store
from huifang_reporting.adapters.queries import estate_month
from huifang_reporting.domain import closed_month as cm
from huifang_reporting.domain import corrective_action as ca
from huifang_reporting.domain.events import ActionRequired, Notice
from huifang_reporting.domain.targets import action_deadline, action_id, breaches, targets_for
from huifang_reporting.service_layer.outgoing import required
from huifang_reporting.service_layer.repositories import Repositories

log = logging.getLogger(__name__)
Clock = Callable[[], datetime]
T = TypeVar("T")


async def close_month(
    conn: Connection,
    repos: Repositories,
    group_id: str,
    estate_id: str,
    month: str,
    *,
    now: datetime,
    by: str,
    deadline_days: int,
) -> list[CorrectiveActionRequired]:
    """Mark the month closed and require a notice for every rate below target; returns the new ones."""
    cause = Cause(group_id=group_id, estate_id=estate_id, actor=by)
    close = cm.CloseMonth(group_id, estate_id, month, now, by)
    await repos.months.execute(conn, cm.stream_id(group_id, estate_id, month), close, cause)
    counts = await estate_month(conn, group_id, estate_id, month)
    targets = targets_for(estate_id, await store.target_rows(conn, group_id))
    commands: list[Command[ca.ActionCommand]] = []
    for breach in breaches(counts, targets):
        notice = Notice(
            action_id=action_id(group_id, estate_id, month, breach.metric),
            group_id=group_id,
            estate_id=estate_id,
            period=month,
            metric=breach.metric,
            target_percent=breach.target_percent,
            actual_percent=breach.actual_percent,
            numerator=breach.ratio.numerator,
            denominator=breach.ratio.denominator,
            deadline=action_deadline(now, deadline_days),
            issued_at=now,
            issued_by=by,
        )
        commands.append(Command(ca.stream_id(notice.action_id), ca.RequireAction(notice), cause))
    decided = await repos.actions.execute_many(conn, commands)
    return [required(e.notice) for d in decided for e in d.events if isinstance(e, ActionRequired)]


async def in_transaction(pool: Pool, work: Callable[[Connection], Awaitable[T]], attempts: int = 3) -> T:
    """`work` in its own transaction, re-run from the start when a notice's stream moved under it."""
    stream_id = ""
    for _attempt in range(attempts):
        try:
            async with transaction(pool) as conn:
                return await work(conn)
        except WrongExpectedVersion as exc:
            stream_id = exc.stream_id
    raise ConcurrencyConflict(stream_id, attempts)


async def close_due_months(pool: Any, repos: Repositories, clock: Clock, *, grace_days: int, deadline_days: int) -> int:
    """One tick: close every estate-month whose local end + grace has passed; returns how many."""
    now = clock()
    async with transaction(pool) as conn:
        due = await store.months_due_for_closing(conn, now, grace_days)
        for row in due:
            await close_month(
                conn,
                repos,
                row["group_id"],
                row["estate_id"],
                row["month"],
                now=now,
                by="system",
                deadline_days=deadline_days,
            )
    return len(due)


def closing_loop(repos: Repositories, clock: Clock, *, interval_s: float, grace_days: int, deadline_days: int) -> Any:
    """The runtime's background loop deciding, by the injected clock, which months are closed."""

    async def month_closer(runtime: Any, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                closed = await close_due_months(
                    runtime.pool, repos, clock, grace_days=grace_days, deadline_days=deadline_days
                )
                if closed:
                    log.info("reporting: closed %d estate-months", closed)
            except Exception:
                log.exception("reporting: closing months failed; retrying next tick")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=interval_s)

    return month_closer
