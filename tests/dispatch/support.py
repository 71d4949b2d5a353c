"""Builders for dispatch tests: the callback and survey events dispatch consumes, a settable clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from huifang_contracts.callback import CallbackDue, CallbackOverdue, CallbackScheduled
from huifang_contracts.enums import (
    CallbackMethod,
    RequestKind,
    Satisfaction4,
    SatisfactionScale,
    StaffRole,
)
from huifang_contracts.envelope import Envelope
from huifang_contracts.intake import EstateRegistered
from huifang_contracts.registry import read
from huifang_contracts.survey import CallbackCompleted, FourLevelRatings
from huifang_dispatch.config import DispatchSettings
from huifang_infra.auth import DEVELOPMENT_JWT_SECRET

from tests.support.envelopes import enveloped
from tests.support.envelopes import messages as messages  # re-exported: the tests import it from here
from tests.support.service import service_settings

GROUP = "G1"
T0 = datetime(2026, 3, 5, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai


class FakeClock:
    """A clock tests move by hand."""

    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def settings(database_url: str, kafka_bootstrap: str, unique: str, **overrides: Any) -> DispatchSettings:
    # The settings' development secret differs from the one `bearer()` signs with: name it explicitly.
    values: dict[str, Any] = {"jwt_secret": DEVELOPMENT_JWT_SECRET, "unassigned_retry_seconds": 0.5} | overrides
    return service_settings(DispatchSettings, database_url, kafka_bootstrap, unique, **values)


def wrap(event: Any, estate: str, aggregate: str, at: datetime, producer: str, group: str = GROUP) -> Envelope:
    return enveloped(event, group_id=group, estate_id=estate, aggregate_id=aggregate, at=at, producer=producer)


def estate_registered(estate: str, at: datetime = T0) -> Envelope:
    event = EstateRegistered(name=f"项目{estate}", estate_type="residential", preset="tianxiacheng")
    return wrap(event, estate, estate, at, "intake")


def scheduled(
    callback_id: str,
    estate: str,
    *,
    role: StaffRole = StaffRole.SERVICE_CENTER_STAFF,
    method: CallbackMethod = CallbackMethod.PHONE,
    kind: RequestKind = RequestKind.REPAIR,
    department: str | None = "engineering",
    due_at: datetime = T0,
    deadline: datetime | None = None,
) -> Envelope:
    event = CallbackScheduled(
        callback_id=callback_id,
        source_type="intake.OrderClosed",
        source_id=f"WO-{callback_id}",
        kind=kind,
        window_start=due_at,
        due_at=due_at,
        deadline=deadline or due_at + timedelta(days=2),
        method=method,
        caller_role=role,
        max_attempts=3,
        retry_spacing_minutes=60,
        rule_id="repair-all",
        policy_id="P1",
        policy_version=1,
        department=department,
        requester_name="王女士",
        requester_phone="13800000000",
        unit_id="1-101",
    )
    return wrap(event, estate, callback_id, due_at - timedelta(days=1), "callback")


def due(envelope: Envelope, at: datetime | None = None) -> Envelope:
    p = envelope.payload
    event = CallbackDue(
        callback_id=p["callback_id"],
        due_at=p["due_at"],
        deadline=p["deadline"],
        method=p["method"],
        caller_role=p["caller_role"],
    )
    return wrap(event, envelope.estate_id, p["callback_id"], at or datetime.fromisoformat(p["due_at"]), "callback")


def overdue(callback_id: str, estate: str, at: datetime, role: StaffRole | None = None) -> Envelope:
    event = CallbackOverdue(callback_id=callback_id, deadline=at, attempts_made=1, escalate_to_role=role)
    return wrap(event, estate, callback_id, at, "callback")


def completed(callback_id: str, estate: str, caller: str, at: datetime) -> Envelope:
    event = CallbackCompleted(
        callback_id=callback_id,
        caller_id=caller,
        method=CallbackMethod.PHONE,
        completed_at=at,
        ratings=FourLevelRatings(scale=SatisfactionScale.FOUR_LEVEL, overall=Satisfaction4.SATISFIED),
        satisfied_or_fair=True,
        late=False,
        attempts_used=1,
    )
    return wrap(event, estate, callback_id, at, "survey")


def consumed(*envelopes: Envelope) -> list[tuple[Any, Envelope]]:
    """Envelopes as the consumer hands them to a batch handler: the typed event beside its envelope."""
    decoded = [read(e.to_bytes()) for e in envelopes]
    return [(d.payload, d) for d in decoded]
