"""The unassigned queue is tried again: people come on duty at 08:30, get registered or reactivated."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from huifang_infra.db import Pool, transaction

from huifang_dispatch.adapters import callbacks
from huifang_dispatch.service_layer.context import Context
from huifang_dispatch.service_layer.placing import place_or_queue

log = logging.getLogger(__name__)

BATCH = 200


async def retry_unassigned(ctx: Context, pool: Pool, limit: int = BATCH) -> int:
    """One pass over the oldest waiting callbacks; returns how many found someone."""
    placed = 0
    async with transaction(pool) as conn:
        for callback_id in await callbacks.unassigned_ids(conn, limit):
            row = await conn.fetchrow(
                """SELECT c.*, e.timezone FROM callbacks c LEFT JOIN estates e USING (estate_id)
                   WHERE c.callback_id = $1 AND c.status = 'unassigned' FOR UPDATE OF c SKIP LOCKED""",
                callback_id,
            )
            if row is None:
                continue  # taken meanwhile by a consumer or a manager
            placement = await place_or_queue(ctx, conn, row, ctx.clock())
            placed += placement.assignee_id is not None
    return placed


async def retry_every(ctx: Context, pool: Pool, interval_s: float, stop: asyncio.Event) -> None:
    """Run `retry_unassigned` every `interval_s` until stop; a failed pass is logged and retried."""
    while not stop.is_set():
        try:
            placed = await retry_unassigned(ctx, pool)
            if placed:
                log.info("placed %d waiting callbacks", placed)
        except Exception:
            log.exception("unassigned retry failed; trying again next round")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=interval_s)
