"""Rebuild dispatch's state tables from its own event store alone (issue 17 §3).

The service is stopped. Each converted aggregate's tables are emptied (staff loads set back to
zero), then every stored event is read in global order, a page at a time, folded per stream and
handed to the same projection function the repository calls — so a rebuilt row is exactly the row
the live write side would have written. Events of aggregates this function does not know are passed
over.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from huifang_infra.db import Connection
from huifang_infra.event_codec import EventCodec
from huifang_infra.eventstore import EventStore, StoredEvent
from huifang_infra.repository import Cause, Decided, Project

from huifang_dispatch.adapters import assignments as assignment_tables
from huifang_dispatch.adapters import duty_log as duty_log_table
from huifang_dispatch.adapters import handovers as handover_tables
from huifang_dispatch.adapters import rosters as roster_tables
from huifang_dispatch.domain import assignment, duty_log, handover_book, roster_month
from huifang_dispatch.service_layer import assigning, duty_logging, handing_over, rostering

PAGE = 1000


@dataclass(frozen=True)
class Projected:
    """One aggregate as the rebuild sees it: its events, how they fold, where they go, how to empty it."""

    name: str
    codec: EventCodec[Any]
    initial: Callable[[], Any]
    evolve: Callable[[Any, Any], Any]
    project: Project
    empty: Callable[[Connection], Any]


async def _empty_assignments(conn: Connection) -> None:
    await conn.execute("DELETE FROM callbacks")
    await assignment_tables.reset_loads(conn)


AGGREGATES: tuple[Projected, ...] = (
    Projected(
        "assignment",
        assigning.CODEC,
        assignment.initial_state,
        assignment.evolve,
        assigning.project,
        _empty_assignments,
    ),
    Projected(
        "handover",
        handing_over.CODEC,
        handover_book.initial_state,
        handover_book.evolve,
        handover_tables.project_books,
        handover_tables.empty_books,
    ),
    Projected(
        "duty_log",
        duty_logging.CODEC,
        duty_log.initial_state,
        duty_log.evolve,
        duty_log_table.project_days,
        duty_log_table.empty_days,
    ),
    Projected(
        "roster",
        rostering.CODEC,
        roster_month.initial_state,
        roster_month.evolve,
        roster_tables.project_rosters,
        roster_tables.empty_rosters,
    ),
)


async def rebuild_state(conn: Connection, aggregates: Sequence[Projected] = AGGREGATES) -> dict[str, int]:
    """Empty and refill the tables of `aggregates` inside the caller's transaction; events per aggregate."""
    by_type = {t: agg for agg in aggregates for t in agg.codec.types}
    for agg in aggregates:
        await agg.empty(conn)
    states: dict[str, Any] = {}
    counts = {agg.name: 0 for agg in aggregates}
    store, after = EventStore(), 0
    while page := await store.read_all(conn, after, PAGE):
        after = page[-1].global_position
        batches: dict[str, list[Decided[Any, Any, Any]]] = {}
        for stored in page:
            known = by_type.get(stored.event_type)
            if known is None:
                continue
            batches.setdefault(known.name, []).append(_fold(known, states, stored))
            counts[known.name] += 1
        for agg in aggregates:
            if batches.get(agg.name):
                await agg.project(conn, batches[agg.name])
    return counts


def _fold(agg: Projected, states: dict[str, Any], stored: StoredEvent) -> Decided[Any, Any, Any]:
    event = agg.codec.decode(stored.event_type, stored.data)
    before = states.get(stored.stream_id) or agg.initial()
    state = agg.evolve(before, event)
    states[stored.stream_id] = state
    cause = Cause(group_id=stored.group_id, estate_id=stored.estate_id)
    return Decided(stored.stream_id, None, cause, before, state, (event,), stored.stream_version, (stored.event_id,))
