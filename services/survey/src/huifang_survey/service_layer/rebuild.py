"""Rebuilding survey's own state tables from its own event store alone (issue 17 §3).

Each converted aggregate's tables are emptied, then every stored event is read a page at a time in
global order, folded per stream, and written through the same projection the commands use. The read
models of other services' events (`estates`, `staff`, the `callbacks` rows) are rebuilt from Kafka
instead (`huifang rebuild projections`); only the columns a stream owns are reset here. Run it on a
stopped service: it holds one transaction throughout.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from huifang_infra.db import Connection
from huifang_infra.eventstore import EventStore, StoredEvent
from huifang_infra.repository import Cause, Decided, Project, Repository

from huifang_survey.adapters.ballot_rows import BALLOT_TABLES
from huifang_survey.adapters.campaigns import CAMPAIGN_TABLES
from huifang_survey.adapters.record_rows import RECORD_TABLES, RESET_CALLBACKS
from huifang_survey.domain import callback_record as cr
from huifang_survey.domain import issued_ballot as ib
from huifang_survey.domain import survey_campaign as sc
from huifang_survey.service_layer.ballot_streams import ballot_repository, project_ballots
from huifang_survey.service_layer.campaign_streams import campaign_repository, project_campaigns
from huifang_survey.service_layer.records import project_records, record_repository

PAGE = 1000


@dataclass(frozen=True)
class Rebuilt:
    """One aggregate's streams (by prefix), how they fold and project, and how its tables are emptied."""

    prefix: str
    repository: Repository[Any, Any, Any]
    project: Project
    empty: Sequence[str]


def rebuilt_aggregates() -> list[Rebuilt]:
    """In projection order: a row another aggregate's row refers to comes first."""
    return [
        Rebuilt(
            sc.STREAM_PREFIX,
            campaign_repository(outbox=None),
            project_campaigns,
            [f"DELETE FROM {t}" for t in CAMPAIGN_TABLES],
        ),
        Rebuilt(ib.STREAM_PREFIX, ballot_repository(), project_ballots, [f"DELETE FROM {t}" for t in BALLOT_TABLES]),
        Rebuilt(
            cr.STREAM_PREFIX,
            record_repository(outbox=None),  # rebuilding publishes nothing
            project_records,
            [*(f"DELETE FROM {t}" for t in RECORD_TABLES), RESET_CALLBACKS],
        ),
    ]


async def rebuild_state(conn: Connection, store: EventStore | None = None, page: int = PAGE) -> int:
    """Empty the converted aggregates' tables and refill them from the streams; returns the events read."""
    store = store or EventStore()
    aggregates = rebuilt_aggregates()
    for aggregate in reversed(aggregates):
        for statement in aggregate.empty:
            await conn.execute(statement)
    states: dict[str, tuple[Any, int]] = {}
    read, position = 0, 0
    while batch := await store.read_all(conn, position, page):
        position = batch[-1].global_position
        for aggregate in aggregates:
            streams: dict[str, list[StoredEvent]] = {}
            for stored in batch:
                if stored.stream_id.startswith(aggregate.prefix):
                    streams.setdefault(stored.stream_id, []).append(stored)
            decided = [_fold(aggregate.repository, states, stream_id, events) for stream_id, events in streams.items()]
            if decided:
                await aggregate.project(conn, decided)
            read += sum(len(events) for events in streams.values())
    return read


def _fold(
    repository: Repository[Any, Any, Any], states: dict[str, tuple[Any, int]], stream_id: str, stored: list[StoredEvent]
) -> Decided[Any, Any, Any]:
    decider, codec = repository.decider, repository.codec
    before, _version = states.get(stream_id, (decider.initial_state(), 0))
    events = tuple(codec.decode(s.event_type, s.data) for s in stored)
    state = decider.fold(events, before)
    states[stream_id] = (state, stored[-1].stream_version)
    cause = Cause(group_id=stored[0].group_id, estate_id=stored[0].estate_id)
    return Decided(stream_id, None, cause, before, state, events, stored[-1].stream_version)
