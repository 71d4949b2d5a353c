"""`Envelope`: what every Kafka message carries around an event's payload.

JSON on the wire. The Kafka key is the estate id, so one estate's events stay in order on one partition
while estates spread over all partitions. Headers repeat type and version (routing and dead-lettering
without parsing the value) and carry the W3C trace context across the hop.

`Envelope` alone is the wire form, its payload the event's JSON object. A consumer reads a record as
`Envelope[TheEvent]`, whose payload is the validated event: envelope and payload in one pass.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, Generic
from uuid import UUID, uuid4

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from typing_extensions import TypeVar

from huifang_contracts.base import IntegrationEvent
from huifang_contracts.errors import EnvelopeInvalid
from huifang_contracts.values import Identifier, UtcDatetime

HEADER_TYPE = "type"
HEADER_VERSION = "version"
HEADER_TRACEPARENT = "traceparent"
HEADER_TRACESTATE = "tracestate"

#: What the payload is read as: the event's JSON object unless a reader names the event's class.
Payload = TypeVar("Payload", default=dict[str, Any])


class Envelope(BaseModel, Generic[Payload]):
    """Identity, provenance and tenancy of one published event; the payload is the event's JSON."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    event_id: UUID = Field(description="Unique per event; consumers deduplicate on it, never on offsets.")
    type: str = Field(pattern=r"^[a-z]+\.[A-Z][A-Za-z0-9]*$", description='e.g. "intake.OrderClosed"')
    version: int = Field(ge=1, description="Schema version of the payload.")
    occurred_at: UtcDatetime = Field(description="When the fact happened in the producer's domain.")
    recorded_at: UtcDatetime = Field(description="When the producer recorded it (outbox write).")
    group_id: Identifier = Field(description="The property group (tenant).")
    estate_id: Identifier = Field(description="The estate; also the Kafka key.")
    aggregate_id: Identifier = Field(description="The producer's stream the event belongs to.")
    correlation_id: UUID = Field(description="Shared by every event of one chain; the first event's id.")
    causation_id: UUID | None = Field(default=None, description="The event_id of the event that caused it.")
    producer: Identifier = Field(description="The publishing service.")
    payload: Payload

    @classmethod
    def wrap(
        cls,
        event: IntegrationEvent,
        *,
        group_id: str,
        estate_id: str,
        aggregate_id: str,
        producer: str,
        occurred_at: datetime,
        correlation_id: UUID | None = None,
        causation_id: UUID | None = None,
        event_id: UUID | None = None,
        recorded_at: datetime | None = None,
    ) -> Envelope:
        """Envelope an event. Without a correlation id the event starts a chain and correlates to itself.

        `recorded_at` defaults to now; pass it explicitly wherever a clock is injected.
        """
        event_id = event_id or uuid4()
        return Envelope(
            event_id=event_id,
            type=event.TYPE,
            version=event.VERSION,
            occurred_at=occurred_at,
            recorded_at=recorded_at if recorded_at is not None else datetime.now(UTC),
            group_id=group_id,
            estate_id=estate_id,
            aggregate_id=aggregate_id,
            correlation_id=correlation_id or event_id,
            causation_id=causation_id,
            producer=producer,
            payload=event.model_dump(mode="json"),
        )

    @classmethod
    def wrap_caused_by(
        cls,
        event: IntegrationEvent,
        cause: Envelope[Any] | None,
        *,
        aggregate_id: str,
        producer: str,
        occurred_at: datetime,
        group_id: str | None = None,
        estate_id: str | None = None,
        recorded_at: datetime | None = None,
        event_id: UUID | None = None,
    ) -> Envelope:
        """Envelope an event caused by `cause`: it joins the cause's chain (same correlation id, causation =
        the cause's event id) and, unless told otherwise, its group and estate.

        Every service reacts to incoming events this way, so the chain is built here once. Without a cause
        (a command from an operator) the event starts a chain of its own, and `group_id` and `estate_id`
        must be given.
        """
        group = group_id if group_id is not None else (cause.group_id if cause is not None else None)
        estate = estate_id if estate_id is not None else (cause.estate_id if cause is not None else None)
        if group is None or estate is None:
            raise ValueError("an event without a cause needs its group_id and estate_id")
        return cls.wrap(
            event,
            group_id=group,
            estate_id=estate,
            aggregate_id=aggregate_id,
            producer=producer,
            occurred_at=occurred_at,
            correlation_id=cause.correlation_id if cause is not None else None,
            causation_id=cause.event_id if cause is not None else None,
            event_id=event_id,
            recorded_at=recorded_at,
        )

    def to_bytes(self) -> bytes:
        """The Kafka message value: UTF-8 JSON."""
        return self.model_dump_json().encode("utf-8")

    @staticmethod
    def from_bytes(data: bytes) -> Envelope:
        """Parse a Kafka message value in its wire form; anything unreadable raises `EnvelopeInvalid`."""
        try:
            return Envelope.model_validate_json(data)
        except ValidationError as error:
            raise EnvelopeInvalid(str(error)) from error

    def kafka_key(self) -> bytes:
        """Per-estate order: every event of an estate goes to the same partition."""
        return self.estate_id.encode("utf-8")

    def kafka_headers(self, traceparent: str | None = None, tracestate: str | None = None) -> list[tuple[str, bytes]]:
        """Type, version and, when given, the W3C trace context of the transaction that wrote the event."""
        headers = [
            (HEADER_TYPE, self.type.encode("utf-8")),
            (HEADER_VERSION, str(self.version).encode("ascii")),
        ]
        if traceparent:
            headers.append((HEADER_TRACEPARENT, traceparent.encode("ascii")))
        if tracestate:
            headers.append((HEADER_TRACESTATE, tracestate.encode("ascii")))
        return headers


def read_header(headers: Sequence[tuple[str, bytes | None]], name: str) -> str | None:
    """The last value of header `name` as text, or None (Kafka allows repeated and empty headers)."""
    for key, value in reversed(headers):
        if key == name and value is not None:
            return value.decode("utf-8", errors="replace")
    return None
