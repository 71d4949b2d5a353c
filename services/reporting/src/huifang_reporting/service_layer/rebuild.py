"""Rebuilding reporting's own state tables from its own event store alone (issue 17 §3).

The corrective-action tables are emptied and refilled by folding every `corrective-action-…` stream,
read a page at a time in global order, and writing each final state through the same projection the
commands use. Read models of other services' events (the KPI tables) are rebuilt from Kafka instead
(`huifang rebuild projections`); targets, closed months and comments are owned state, left alone.
Run it on a stopped service (or one that is not writing notices): it holds one transaction throughout.
"""

from __future__ import annotations

from huifang_infra.db import Connection
from huifang_infra.eventstore import EventStore

from huifang_reporting.adapters.action_rows import ACTION_TABLES, write_actions
from huifang_reporting.domain import corrective_action as ca
from huifang_reporting.domain.events import CorrectiveAction
from huifang_reporting.service_layer.corrective_actions import action_codec, corrective_action

PAGE = 1000


async def rebuild_state(conn: Connection, store: EventStore | None = None, page: int = PAGE) -> int:
    """Empty the corrective-action tables and refill them from the streams; returns the events read."""
    store = store or EventStore()
    codec = action_codec()
    states: dict[str, CorrectiveAction] = {}
    read, position = 0, 0
    while batch := await store.read_all(conn, position, page):
        position = batch[-1].global_position
        for stored in batch:
            if not stored.stream_id.startswith(ca.STREAM_PREFIX):
                continue
            state = states.get(stored.stream_id) or corrective_action.initial_state()
            states[stored.stream_id] = corrective_action.evolve(state, codec.decode(stored.event_type, stored.data))
            read += 1
    for table in ACTION_TABLES:  # acknowledgements first: they reference their notice
        await conn.execute(f"DELETE FROM {table}")
    await write_actions(conn, list(states.values()))
    return read
