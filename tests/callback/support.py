"""Helpers for the callback service's integration and API tests: events in, what it published out."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import asyncpg
from huifang_callback.bootstrap import Components
from huifang_callback.config import CallbackSettings
from huifang_callback.entrypoints.api import create_app
from huifang_contracts.base import IntegrationEvent
from huifang_contracts.enums import (
    AttemptResult,
    CallbackMethod,
    Channel,
    ComplaintGrade,
    ComplaintValidity,
    EstateType,
    RequestKind,
)
from huifang_contracts.envelope import Envelope
from huifang_contracts.intake import ComplaintResolved, EstateRegistered, OrderClosed
from huifang_contracts.survey import CallbackAttempted, CallbackCompleted, FourLevelRatings
from huifang_infra.auth import DEVELOPMENT_JWT_SECRET
from huifang_infra.clock import SettableClock

from tests.support.envelopes import enveloped
from tests.support.envelopes import feed as feed  # re-exported: the tests import it from here
from tests.support.service import service_settings

GROUP, ESTATE = "G1", "E1"


def callback_app(database_url: str, kafka_bootstrap: str, unique: str, clock: SettableClock, **overrides: Any) -> Any:
    # The tokens `bearer()` mints are signed with the auth module's development secret.
    values = {"timer_tick_seconds": 0.2, "sampling_check_seconds": 0, "jwt_secret": DEVELOPMENT_JWT_SECRET}
    values |= overrides
    settings = service_settings(CallbackSettings, database_url, kafka_bootstrap, unique, **values)
    return create_app(components=Components(settings, clock=clock, seeds=lambda: "fixed-seed"))


def wrap(event: IntegrationEvent, aggregate_id: str, at: datetime, estate: str = ESTATE) -> Envelope:
    return enveloped(event, group_id=GROUP, estate_id=estate, aggregate_id=aggregate_id, at=at)


def estate_registered(estate: str = ESTATE, preset: str = "tianxiacheng", tz: str = "Asia/Shanghai") -> Envelope:
    event = EstateRegistered(name=f"{estate} 小区", estate_type=EstateType.RESIDENTIAL, preset=preset, timezone=tz)
    return wrap(event, estate, datetime(2026, 1, 1, tzinfo=UTC), estate)


def order_closed(
    order_id: str,
    at: datetime,
    *,
    urgent: bool = False,
    unit: str | None = None,
    estate: str = ESTATE,
    worker: str | None = None,
) -> Envelope:
    event = OrderClosed(
        order_id=order_id,
        request_kind=RequestKind.REPAIR,
        channel=Channel.HOTLINE,
        category="plumbing",
        department="engineering",
        closed_at=at,
        signed_off=True,
        emergency=urgent,
        unit_id=unit or f"U-{order_id}",
        worker_id=worker,
    )
    return wrap(event, order_id, at, estate)


def complaint_resolved(
    complaint_id: str,
    at: datetime,
    round_no: int = 1,
    grade: ComplaintGrade = ComplaintGrade.GENERAL,
    estate: str = ESTATE,
) -> Envelope:
    event = ComplaintResolved(
        complaint_id=complaint_id,
        grade=grade,
        validity=ComplaintValidity.VALID,
        category="plumbing",
        department="engineering",
        resolved_at=at,
        round=round_no,
        accepted_by_requester=False,
    )
    return wrap(event, complaint_id, at, estate)


def callback_completed(callback_id: str, at: datetime, *, satisfied: bool) -> Envelope:
    overall = "satisfied" if satisfied else "dissatisfied"
    event = CallbackCompleted(
        callback_id=callback_id,
        caller_id="stf-1",
        method="phone",
        completed_at=at,
        ratings=FourLevelRatings(scale="four_level", overall=overall),
        satisfied_or_fair=satisfied,
        comments=None if satisfied else "还是漏水",
        late=False,
        attempts_used=1,
    )
    return wrap(event, callback_id, at)


def callback_attempted(callback_id: str, attempt_no: int, at: datetime) -> Envelope:
    """A try that did not reach the requester (R-CB-11); each call has a new event id, like a re-send."""
    event = CallbackAttempted(
        callback_id=callback_id,
        attempt_no=attempt_no,
        result=AttemptResult.NO_ANSWER,
        method=CallbackMethod.PHONE,
        caller_id="stf-1",
        attempted_at=at,
    )
    return wrap(event, callback_id, at)


async def published(database_url: str, event_type: str) -> list[Envelope]:
    """What the service committed to publish (its outbox), in commit order."""
    conn = await asyncpg.connect(database_url)
    try:
        rows = await conn.fetch("SELECT value FROM outbox WHERE event_type = $1 ORDER BY id", event_type)
    finally:
        await conn.close()
    return [Envelope.from_bytes(bytes(r["value"])) for r in rows]


async def fetch(database_url: str, query: str, *args: Any) -> list[dict[str, Any]]:
    conn = await asyncpg.connect(database_url)
    try:
        return [dict(r) for r in await conn.fetch(query, *args)]
    finally:
        await conn.close()


async def published_at_least(database_url: str, event_type: str, n: int) -> list[Envelope] | None:
    """For `wait_for`: what was published of this type once there are at least `n`, else None."""
    found = await published(database_url, event_type)
    return found if len(found) >= n else None


async def rows_at_least(database_url: str, query: str, n: int) -> list[dict[str, Any]] | None:
    """For `wait_for`: the rows of `query` once there are at least `n`, else None."""
    rows = await fetch(database_url, query)
    return rows if len(rows) >= n else None
