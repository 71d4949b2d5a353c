"""Contract events survey consumes, enveloped as their producers would send them, and a way to feed them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from huifang_contracts.callback import CallbackScheduled
from huifang_contracts.dispatch import CallbackAssigned, CallbackReassigned, StaffRegistered
from huifang_contracts.enums import CallbackMethod, EstateType, ReassignReason, RequestKind, StaffRole
from huifang_contracts.envelope import Envelope
from huifang_contracts.intake import EstateRegistered
from huifang_infra.runtime import ServiceRuntime

from tests.support.kafka import produce

GROUP, ESTATE = "grp-lanting", "est-nanyuan"
NOW = datetime.now(UTC).replace(microsecond=0)


def wrap(
    event: object, aggregate_id: str, producer: str, estate: str = ESTATE, occurred_at: datetime = NOW
) -> Envelope:
    return Envelope.wrap(
        event,  # type: ignore[arg-type]
        group_id=GROUP,
        estate_id=estate,
        aggregate_id=aggregate_id,
        producer=producer,
        occurred_at=occurred_at,
        recorded_at=occurred_at,
    )


def estate(estate_id: str = ESTATE, timezone: str = "Asia/Shanghai") -> Envelope:
    event = EstateRegistered(
        name="南苑小区",
        estate_type=EstateType.RESIDENTIAL,
        preset="tianxiacheng",
        timezone=timezone,
        household_count=800,
    )
    return wrap(event, estate_id, "intake", estate_id)


def staff(staff_id: str, name: str = "赵磊") -> Envelope:
    event = StaffRegistered(staff_id=staff_id, name=name, role=StaffRole.SERVICE_CENTER_STAFF, department="service")
    return wrap(event, staff_id, "dispatch")


def scheduled(callback_id: str, *, max_attempts: int = 3, estate_id: str = ESTATE) -> Envelope:
    event = CallbackScheduled(
        callback_id=callback_id,
        source_type="intake.OrderClosed",
        source_id=f"WO-{callback_id}",
        kind=RequestKind.REPAIR,
        window_start=NOW - timedelta(days=1),
        due_at=NOW - timedelta(days=1),
        deadline=NOW + timedelta(days=3),
        method=CallbackMethod.PHONE,
        caller_role=StaffRole.SERVICE_CENTER_STAFF,
        max_attempts=max_attempts,
        retry_spacing_minutes=60,
        rule_id="repair.sampled",
        policy_id="pol-1",
        policy_version=1,
        department="engineering",
        category="给排水",
        unit_id="T3-1502",
        requester_name="李敏",
        requester_phone="13800138000",
    )
    return wrap(event, callback_id, "callback", estate_id)


def assigned(callback_id: str, assignee_id: str, estate_id: str = ESTATE, occurred_at: datetime = NOW) -> Envelope:
    event = CallbackAssigned(
        callback_id=callback_id,
        assignee_id=assignee_id,
        assignee_role=StaffRole.SERVICE_CENTER_STAFF,
        deadline=NOW + timedelta(days=3),
    )
    return wrap(event, callback_id, "dispatch", estate_id, occurred_at)


def reassigned(callback_id: str, previous: str, assignee_id: str, occurred_at: datetime) -> Envelope:
    event = CallbackReassigned(
        callback_id=callback_id,
        previous_assignee_id=previous,
        assignee_id=assignee_id,
        assignee_role=StaffRole.OFFICE_MANAGER,
        reason=ReassignReason.OVERDUE_ESCALATION,
        deadline=NOW + timedelta(days=3),
    )
    return wrap(event, callback_id, "dispatch", ESTATE, occurred_at)


async def feed(runtime: ServiceRuntime, bootstrap: str, envelopes: list[Envelope]) -> None:
    """Produce each envelope to the topic its type travels on, in this deployment's (suffixed) names."""
    by_topic: dict[str, list[tuple[bytes, bytes]]] = {}
    for envelope in envelopes:
        topic = runtime.catalogue.topic_for(envelope.type)
        by_topic.setdefault(topic, []).append((envelope.kafka_key(), envelope.to_bytes()))
    for topic, messages in by_topic.items():
        await produce(bootstrap, topic, messages)
