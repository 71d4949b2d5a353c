"""One poll's records, decoded and sorted before any database work: what to apply, ignore or park.

Decoding happens once per record and outside the transaction, so a poison record is known before the
batch's effects begin and never forces a rollback of its neighbours.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Container, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from aiokafka.structs import ConsumerRecord, TopicPartition
from huifang_contracts.envelope import HEADER_TYPE, HEADER_VERSION, Envelope, read_header
from huifang_contracts.errors import EnvelopeInvalid, EventInvalid, UnknownEventType
from huifang_contracts.registry import read

from huifang_infra.db import Connection
from huifang_infra.deadletter import Poison

#: Applies one event's effects inside the consumer's transaction.
Handler = Callable[[Connection, Any, Envelope[Any]], Awaitable[None]]
#: Applies a run of events of one type at once (e.g. one `executemany`), in their order.
BatchHandler = Callable[[Connection, list[tuple[Any, Envelope[Any]]]], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Delivery:
    """A record this consumer handles, with its decoded event (also the envelope's payload)."""

    record: ConsumerRecord
    envelope: Envelope[Any]
    event: Any


@dataclass
class Poll:
    """What one `getmany` returned, split by fate; `last_offsets` covers every record, whatever its fate."""

    deliveries: list[Delivery] = field(default_factory=list)
    poison: list[tuple[ConsumerRecord, Poison]] = field(default_factory=list)
    ignored: int = 0
    last_offsets: dict[TopicPartition, int] = field(default_factory=dict)


def runs_of(deliveries: list[Delivery], key: Callable[[str], object] | None = None) -> Iterator[list[Delivery]]:
    """Consecutive deliveries of one kind, order kept: the unit a batch handler receives. The kind is the
    event type, or what `key` makes of it — the consumer's batch handler, so that a handler taking several
    types (scheduling every trigger; an assignment's whole life) gets a whole poll in one call."""
    kind = key or (lambda event_type: event_type)
    run: list[Delivery] = []
    for delivery in deliveries:
        if run and kind(delivery.envelope.type) != kind(run[-1].envelope.type):
            yield run
            run = []
        run.append(delivery)
    if run:
        yield run


#: Turns a record of a topic that carries no Huifang envelope (the ERP's) into a delivery: the decoder
#: builds an envelope whose `event_id` is derived from the sender's own id, so the inbox dedupes it.
RecordDecoder = Callable[[ConsumerRecord], "Delivery | Poison | None"]


#: Records decoded between two yields to the event loop.
DECODE_SLICE = 50


async def sort_poll(
    batch: dict[TopicPartition, list[ConsumerRecord]],
    handled: Container[str],
    decoders: Mapping[str, RecordDecoder] | None = None,
) -> Poll:
    """Decode a poll, yielding to the event loop every `DECODE_SLICE` records.

    The consumer decodes poll N+1 while poll N's transaction is in the database; that transaction
    needs the loop for each of its round trips, and a poll decoded in one piece would hold them all back.
    """
    poll = Poll()
    decoded = 0
    for tp, records in batch.items():
        decoder = decoders.get(tp.topic) if decoders else None
        for record in records:
            outcome = _decode(record, handled) if decoder is None else _decode_foreign(decoder, record, handled)
            if isinstance(outcome, Delivery):
                poll.deliveries.append(outcome)
            elif isinstance(outcome, Poison):
                poll.poison.append((record, outcome))
            else:
                poll.ignored += 1  # a type this service does not react to
            decoded += 1
            if decoded % DECODE_SLICE == 0:
                await asyncio.sleep(0)
        if records:
            poll.last_offsets[tp] = records[-1].offset
    return poll


def _decode_foreign(
    decoder: RecordDecoder, record: ConsumerRecord, handled: Container[str]
) -> Delivery | Poison | None:
    try:
        outcome = decoder(record)
    except Exception as exc:  # a decoder's own bug or an unforeseen shape: parked, never fatal
        return Poison("invalid", exc)
    if isinstance(outcome, Delivery) and outcome.envelope.type not in handled:
        return None
    return outcome


def _decode(record: ConsumerRecord, handled: Container[str]) -> Delivery | Poison | None:
    headers = record.headers
    event_type = read_header(headers, HEADER_TYPE)
    if event_type is not None and event_type not in handled:
        return None  # another service's event: not even parsed
    version = read_header(headers, HEADER_VERSION)
    try:
        envelope = read(record.value, event_type, int(version) if version and version.isdigit() else None)
    except EnvelopeInvalid as exc:
        return Poison("undecodable", exc)
    except UnknownEventType as exc:
        return Poison("unknown_type", exc) if exc.event_type in handled else None
    except EventInvalid as exc:
        return Poison("invalid", exc) if exc.event_type in handled else None
    except Exception as exc:
        return Poison("invalid", exc)
    if envelope.type not in handled:
        return None
    return Delivery(record, envelope, envelope.payload)
