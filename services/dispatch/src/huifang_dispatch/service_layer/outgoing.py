"""Dispatch's facts as contract envelopes, written to the outbox in the caller's transaction."""

from __future__ import annotations

from datetime import datetime

from huifang_contracts.base import IntegrationEvent
from huifang_contracts.envelope import Envelope

PRODUCER = "dispatch"


def envelope_for(
    event: IntegrationEvent,
    *,
    group_id: str,
    estate_id: str,
    aggregate_id: str,
    at: datetime,
    cause: Envelope | None = None,
) -> Envelope:
    """Wrapped for the wire; an event caused by an incoming one continues its correlation chain."""
    return Envelope.wrap(
        event,
        group_id=group_id,
        estate_id=estate_id,
        aggregate_id=aggregate_id,
        producer=PRODUCER,
        occurred_at=at,
        recorded_at=at,
        correlation_id=cause.correlation_id if cause else None,
        causation_id=cause.event_id if cause else None,
    )
