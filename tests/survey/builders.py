"""Contract events survey consumes, enveloped as their producers would send them, and a way to feed them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from huifang_contracts.base import IntegrationEvent
from huifang_contracts.callback import CallbackScheduled
from huifang_contracts.dispatch import CallbackAssigned, CallbackReassigned, StaffRegistered
from huifang_contracts.enums import (
    CallbackMethod,
    EstateType,
    ReassignReason,
    RequestKind,
    SatisfactionScale,
    StaffRole,
)
from huifang_contracts.envelope import Envelope
from huifang_contracts.intake import EstateRegistered
from huifang_infra.auth import Role
from huifang_survey.config import SurveySettings

from tests.support.envelopes import enveloped
from tests.support.envelopes import feed as feed  # re-exported: the tests import it from here
from tests.support.service import bearer

GROUP, ESTATE = "grp-lanting", "est-nanyuan"
NOW = datetime.now(UTC).replace(microsecond=0)


def wrap(
    event: IntegrationEvent, aggregate_id: str, producer: str, estate: str = ESTATE, occurred_at: datetime = NOW
) -> Envelope:
    return enveloped(
        event, group_id=GROUP, estate_id=estate, aggregate_id=aggregate_id, at=occurred_at, producer=producer
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


def scheduled(
    callback_id: str, *, max_attempts: int = 3, estate_id: str = ESTATE, rating_scale: SatisfactionScale | None = None
) -> Envelope:
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
        rating_scale=rating_scale,
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


def signed(settings: SurveySettings, role: Role, sub: str, estates: Sequence[str] = (ESTATE,)) -> dict[str, str]:
    """A bearer header signed with this deployment's own secret (infra's settings and token modules name two
    different development secrets)."""
    return bearer(role, GROUP, estates, sub=sub, secret=settings.jwt_secret.get_secret_value())
