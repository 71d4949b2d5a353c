"""The unassigned queue is tried again: people come on duty at 08:30, get registered or reactivated."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from huifang_infra.db import Pool
from huifang_infra.eventstore import WrongExpectedVersion

from huifang_dispatch.service_layer.assigning import Assignments

log = logging.getLogger(__name__)

BATCH = 200


async def retry_unassigned(assignments: Assignments, pool: Pool, limit: int = BATCH) -> int:
    """One pass over the oldest waiting callbacks; returns how many found someone."""
    return await assignments.retry_unassigned(pool, limit)


async def retry_every(assignments: Assignments, pool: Pool, interval_s: float, stop: asyncio.Event) -> None:
    """Run `retry_unassigned` every `interval_s` until stop; a failed pass is logged and retried."""
    while not stop.is_set():
        try:
            placed = await retry_unassigned(assignments, pool)
            if placed:
                log.info("placed %d waiting callbacks", placed)
        except WrongExpectedVersion as exc:  # a consumer or a manager moved one of them meanwhile
            log.info("unassigned retry raced another writer (%s); trying again next round", exc)
        except Exception:
            log.exception("unassigned retry failed; trying again next round")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=interval_s)
