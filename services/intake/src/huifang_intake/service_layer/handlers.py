"""Command handlers: load, decide in the domain, save the change, outbox its event — one transaction.

The caller owns the transaction (HTTP route, consumer, batch import row), so a command's record, its
history and its outgoing event commit together or not at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from huifang_contracts.base import IntegrationEvent
from huifang_contracts.envelope import Envelope
from huifang_contracts.intake import ALL_ESTATES
from huifang_infra.clock import utc_now
from huifang_infra.db import Connection
from huifang_infra.group_commit import GroupCommit
from huifang_infra.outbox import Outbox
from huifang_infra.telemetry import current_trace_headers

from huifang_intake.adapters.records import KeyRow, NewRecord, OutboxRow, Records, record_id_of
from huifang_intake.adapters.registry import Registry
from huifang_intake.domain.categories import check_category
from huifang_intake.domain.changes import Change, Record, recorded
from huifang_intake.domain.errors import Conflict, NotFound, UnknownEstate
from huifang_intake.domain.registry import Estate, EstatePart
from huifang_intake.service_layer.outgoing import PRODUCER, category_event, estate_event, event_for, part_event

R = TypeVar("R", bound=Record)


def _metadata(cause: Envelope[Any] | None) -> dict[str, Any]:
    """What a stored change keeps of the event that caused it (none for an operator's command)."""
    return {"correlation_id": str(cause.correlation_id), "causation_id": str(cause.event_id)} if cause else {}


@dataclass
class Intake:
    """The service's dependencies by name; tests and bootstrap pass their own."""

    outbox: Outbox
    records: Records = field(default_factory=Records)
    registry: Registry = field(default_factory=Registry)
    clock: Callable[[], datetime] = utc_now
    topic_for: Callable[[str], str] | None = None
    """The (suffixed) topic of an event type; with it, new records write their outbox rows themselves."""
    new_records: GroupCommit[NewRecord] | None = None
    """New records of concurrent HTTP commands, written together (see `prepare_creation`)."""

    async def known_estate(self, conn: Connection, group_id: str, estate_id: str, fld: str = "estate_id") -> Estate:
        estate = await self.registry.estate(conn, group_id, estate_id)
        if estate is None:
            raise UnknownEstate(estate_id, fld)
        return estate

    async def canonical_category(
        self, conn: Connection, group_id: str, category: str, subcategory: str | None
    ) -> tuple[str, str | None]:
        return check_category(await self.registry.categories(conn, group_id), category, subcategory)

    async def create(
        self,
        conn: Connection,
        record_type: str,
        record: R,
        decide: Callable[[R], tuple[R, Change]],
        cause: Envelope[Any] | None = None,
        *,
        key_for: Callable[[R], KeyRow] | None = None,
    ) -> R:
        """A new record: its estate must be registered; an id already taken is a Conflict. `key_for`
        gives the Idempotency-Key row stored with it (the response is known once the domain decided)."""
        await self.known_estate(conn, record.group_id, record.estate_id)
        new, change = decide(record)
        change = recorded(None, new, change)
        await self._commit(conn, record_type, new, 0, change, cause, key_for(new) if key_for else None)
        return new

    async def prepare_creation(
        self,
        conn: Connection,
        record_type: str,
        record: R,
        decide: Callable[[R], tuple[R, Change]],
        *,
        key_for: Callable[[R], KeyRow] | None = None,
    ) -> tuple[R, NewRecord]:
        """`create` up to the write: checked and decided on `conn`, and what to write, to be handed to
        the group commit (`new_records`) once `conn` is back in the pool. Needs `topic_for`."""
        await self.known_estate(conn, record.group_id, record.estate_id)
        new, change = decide(record)
        change = recorded(None, new, change)
        return new, self._new_record(record_type, new, change, None, key_for(new) if key_for else None)

    async def change(
        self,
        conn: Connection,
        group_id: str,
        record_type: str,
        record_id: str,
        decide: Callable[[R], tuple[R, Change] | None],
        *,
        estate_ids: list[str] | None = None,
        cause: Envelope[Any] | None = None,
    ) -> R:
        """A command on an existing record, locked for the transaction; outside `estate_ids` is 404."""
        found = await self.records.get(conn, group_id, record_type, record_id, for_update=True)
        if found is None or (estate_ids is not None and found[0].estate_id not in estate_ids):
            raise NotFound(record_type, record_id)
        record, version = found
        decided = decide(record)  # type: ignore[arg-type]
        if decided is None:
            return record  # type: ignore[return-value]
        new, change = decided
        await self._commit(conn, record_type, new, version, recorded(record, new, change), cause)
        return new

    async def _commit(
        self,
        conn: Connection,
        record_type: str,
        record: Record,
        version: int,
        change: Change,
        cause: Envelope[Any] | None,
        key: KeyRow | None = None,
    ) -> None:
        if version == 0 and self.topic_for is not None:
            # The hot path (a new record): history, snapshot and outbox in one round trip.
            await self.records.create_many(conn, [self._new_record(record_type, record, change, cause, key)])
            return
        assert key is None, "an Idempotency-Key row is written with a new record only"
        await self.records.save(conn, record_type, record, version, [change], _metadata(cause))
        await self.outbox.add(conn, self._envelopes(record_type, record, change, cause))

    def _new_record(
        self, record_type: str, record: Record, change: Change, cause: Envelope[Any] | None, key: KeyRow | None
    ) -> NewRecord:
        """The rows of a new record, its outbox rows carrying the trace of the request or event at hand."""
        assert self.topic_for is not None
        trace = current_trace_headers()
        rows: list[OutboxRow] = [
            (e.event_id, e.type, e.version, self.topic_for(e.type), e.kafka_key(), e.to_bytes(),
             trace.get("traceparent"), trace.get("tracestate"))
            for e in self._envelopes(record_type, record, change, cause)
        ]  # fmt: skip
        return NewRecord(record_type, record, [change], _metadata(cause), rows, key)

    def _envelopes(
        self, record_type: str, record: Record, change: Change, cause: Envelope[Any] | None
    ) -> list[Envelope]:
        event = event_for(record, change)
        if event is None:
            return []
        return [
            Envelope.wrap_caused_by(
                event,
                cause,
                group_id=record.group_id,
                estate_id=record.estate_id,
                aggregate_id=record_id_of(record_type, record),
                producer=PRODUCER,
                occurred_at=change.at,
                recorded_at=self.clock(),
            )
        ]

    async def save_estate(self, conn: Connection, estate: Estate, *, must_be_new: bool | None = None) -> bool:
        """Upsert an estate and publish `EstateRegistered` (new) or `EstateUpdated` for every projection.

        Published on every save, changed or not: the event carries the full facts, an upsert downstream.
        """
        exists = await self.registry.estate(conn, estate.group_id, estate.estate_id, fresh=True) is not None
        if must_be_new is not None and exists == must_be_new:
            raise Conflict(f"estate {estate.estate_id!r} {'already exists' if must_be_new else 'is not registered'}")
        new = await self.registry.save_estate(conn, estate)
        event = estate_event(estate, new=new)
        await self._publish(
            conn, event, group_id=estate.group_id, estate_id=estate.estate_id, aggregate_id=estate.estate_id
        )
        return new

    async def save_estate_part(self, conn: Connection, group_id: str, estate_id: str, part: EstatePart) -> bool:
        """Upsert a building, unit or department of a registered estate (`UnknownEstate` otherwise) and
        publish its `BuildingSaved` / `UnitSaved` / `DepartmentSaved`.

        Published only when the row was inserted or changed: the registry tells, so a repeated PUT or a
        re-import of the same file adds nothing to the log. True when published.
        """
        await self.known_estate(conn, group_id, estate_id)
        changed = await self.registry.save_part(conn, group_id, estate_id, part)
        if changed:
            await self._publish(conn, part_event(part), group_id=group_id, estate_id=estate_id, aggregate_id=estate_id)
        return changed

    async def add_category(self, conn: Connection, group_id: str, category: str, subcategory: str | None) -> bool:
        """Extend the group's complaint categories and publish `ComplaintCategoryAdded` when the pair is new.

        Categories belong to the whole group: the envelope's estate_id (the Kafka key) is `ALL_ESTATES`
        ("*"), its aggregate the group. True when published.
        """
        added = await self.registry.add_category(conn, group_id, category, subcategory)
        if added:
            event = category_event(category, subcategory)
            await self._publish(conn, event, group_id=group_id, estate_id=ALL_ESTATES, aggregate_id=group_id)
        return added

    async def _publish(
        self, conn: Connection, event: IntegrationEvent, *, group_id: str, estate_id: str, aggregate_id: str
    ) -> None:
        """Outbox a registry event in the caller's transaction: an operator's change starts its own chain."""
        now = self.clock()
        envelope = Envelope.wrap(
            event,
            group_id=group_id,
            estate_id=estate_id,
            aggregate_id=aggregate_id,
            producer=PRODUCER,
            occurred_at=now,
            recorded_at=now,
        )
        await self.outbox.add(conn, [envelope])
