"""Rebuild dispatch's state tables from its own event store alone (issue 17 §3).

`state_parts` names each aggregate's repository and the tables its projection fills; the shared
`huifang_infra.state_rebuild` empties those tables and refills them stream by stream through the same
projection code the live write side runs (`huifang rebuild state --service dispatch` does exactly
that, through `bootstrap.state_parts`). The duty log's table refuses TRUNCATE for everyone (R-OP-3),
so it is not in the list: its projection leaves rows already there alone, and `rebuild_state` here
empties it first through the one function allowed to (migration 0008).
"""

from __future__ import annotations

from datetime import datetime

from huifang_infra.db import Connection
from huifang_infra.outbox import Outbox
from huifang_infra.state_rebuild import Rebuilt, StateRebuild
from huifang_infra.state_rebuild import rebuild_state as rebuild_parts

from huifang_dispatch.adapters import assignments, duty_log
from huifang_dispatch.service_layer import duty_logging, handing_over, rostering
from huifang_dispatch.service_layer.assigning import Assignments


def _no_clock() -> datetime:
    raise RuntimeError("a rebuild folds what was decided; it decides nothing")


HANDOVER_TABLES = ("handover_carried", "handover_items", "handovers")
ROSTER_TABLES = ("roster_changes", "roster_shifts", "rosters")


def state_parts(outbox: Outbox | None = None, escalation_role: str = "office_manager") -> list[StateRebuild]:
    """Each aggregate of dispatch with the tables a rebuild empties before its streams refill them."""
    assigning = Assignments(outbox, escalation_role, clock=_no_clock)
    return [
        StateRebuild(assigning.repository(), assignments.STATE_TABLES),
        StateRebuild(handing_over.repository(), HANDOVER_TABLES),
        StateRebuild(duty_logging.repository(), ()),
        StateRebuild(rostering.repository(), ROSTER_TABLES),
    ]


async def rebuild_state(conn: Connection) -> Rebuilt:
    """Empty every state table (the duty log's through its own function) and refill them, all or nothing."""
    async with conn.transaction():
        await duty_log.empty_days(conn)
        return await rebuild_parts(conn, state_parts())
