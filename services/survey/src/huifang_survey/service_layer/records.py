"""The callback-record repository: its decider, codec, projection and outgoing events, wired once."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from huifang_infra.db import Connection
from huifang_infra.decider import Decider
from huifang_infra.event_codec import EventCodec
from huifang_infra.outbox import Outbox
from huifang_infra.repository import Decided, Repository

from huifang_survey.adapters.record_rows import write_records
from huifang_survey.domain import callback_record as cr
from huifang_survey.domain.events import RECORD_EVENTS, CallbackRecord, RecordEvent
from huifang_survey.service_layer.outgoing import record_published

RecordRepository = Repository[cr.RecordContact, CallbackRecord, RecordEvent]

callback_record: Decider[cr.RecordContact, CallbackRecord, RecordEvent] = Decider(
    cr.initial_state, cr.decide, cr.evolve
)


def record_codec() -> EventCodec[RecordEvent]:
    return EventCodec(RECORD_EVENTS)


async def project_records(conn: Connection, decided: Sequence[Decided[Any, CallbackRecord, Any]]) -> None:
    assert all(d.cause.estate_id is not None for d in decided)
    await write_records(conn, [(d.cause.group_id, d.cause.estate_id or "", d.events, d.state) for d in decided])


def record_repository(outbox: Outbox | None) -> RecordRepository:
    return Repository(callback_record, record_codec(), outbox=outbox, project=project_records, publish=record_published)
