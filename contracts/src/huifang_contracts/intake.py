"""Events published by intake: the estate registry, closed work orders, complaints, other closed requests.

Each carries what callback, dispatch, survey and reporting need to act without asking intake: the
requester's contact for the callback, the department for attribution, grade and validity for R-CB-1/3.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints, field_validator

from huifang_contracts.base import IntegrationEvent, PayloadPart
from huifang_contracts.enums import (
    Channel,
    ComplaintGrade,
    ComplaintValidity,
    EstateType,
    MaterialSource,
    RequestKind,
)
from huifang_contracts.values import Identifier, Name, Phone, Round, Text, UtcDatetime

TimeZoneName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z_]+(/[A-Za-z0-9_+\-]+)*$")]

ALL_ESTATES = "*"
"""The envelope's `estate_id` (and Kafka key) of a fact that belongs to the whole group, not one estate;
the same marker token scopes use for "every estate of the group"."""


class EstateFacts(IntegrationEvent):
    """The estate facts other services project; registered and updated both carry the full set (upserts)."""

    name: Name
    estate_type: EstateType
    preset: Identifier = Field(description='Callback policy preset, e.g. "tianxiacheng", "commercial", "full".')
    zone: Name | None = Field(default=None, description="片区")
    region: Name | None = Field(default=None, description="区域 / city")
    timezone: TimeZoneName = Field(default="Asia/Shanghai", description="IANA zone for estate-local display.")
    calendar: Identifier = Field(default="cn-mainland", description="Working-day calendar (R-CB-2).")
    household_count: int | None = Field(default=None, ge=0, description="Base of the 5 % survey (R-SV-1).")


class EstateRegistered(EstateFacts):
    """A new estate: every service starts its own projection of the facts it needs."""

    TYPE = "intake.EstateRegistered"
    VERSION = 1


class EstateUpdated(EstateFacts):
    """An estate's facts changed (zone, region, type, preset …); carries the full set for an upsert."""

    TYPE = "intake.EstateUpdated"
    VERSION = 1


class BuildingSaved(IntegrationEvent):
    """A building of the estate was added or renamed; carries the full row for an upsert."""

    TYPE = "intake.BuildingSaved"
    VERSION = 1

    building_id: Identifier = Field(description="Unique within the estate (the envelope's estate_id).")
    name: Name = Field(description="e.g. 1号楼")


class UnitSaved(IntegrationEvent):
    """A unit (房号) of the estate was added or changed; carries the full row for an upsert."""

    TYPE = "intake.UnitSaved"
    VERSION = 1

    unit_id: Identifier = Field(description="Unique within the estate; what orders and complaints name.")
    building_id: Identifier | None = Field(default=None, description="None when the unit has no building.")
    name: Name | None = None


class DepartmentSaved(IntegrationEvent):
    """A department of the estate was added or renamed: the names behind attribution and drill-down."""

    TYPE = "intake.DepartmentSaved"
    VERSION = 1

    department_id: Identifier = Field(description="What orders and complaints carry as `department`.")
    name_zh: Name = Field(description="e.g. 工程部")
    name_en: Name | None = None


class ComplaintCategoryAdded(IntegrationEvent):
    """The group extended its complaint categories; group-wide, so the envelope's estate_id is "*".

    Adds to the default two-level tree every group starts from (DOMAIN.md); categories are never removed.
    """

    TYPE = "intake.ComplaintCategoryAdded"
    VERSION = 1

    category: Name = Field(description="Level 1, e.g. 公共区域; new, or an existing one gaining a subcategory.")
    subcategory: Name | None = Field(default=None, description="Level 2; None when a level-1 category was added.")


class Material(PayloadPart):
    """A material used on a work order; owner-supplied and company materials are checked pass/fail."""

    name: Name
    quantity: float = Field(gt=0)
    unit: Name | None = None
    source: MaterialSource
    verified: bool | None = Field(default=None, description="Pass/fail of the check; None when not checked.")


class OrderClosed(IntegrationEvent):
    """A work order was completed, signed off and closed: a callback or a place in the month's sample."""

    TYPE = "intake.OrderClosed"
    VERSION = 2

    order_id: Identifier
    erp_id: Identifier | None = None
    request_kind: RequestKind
    channel: Channel
    category: Name
    subcategory: Name | None = None
    unit_id: Identifier | None = Field(default=None, description="None for common areas.")
    requester_name: Name | None = None
    requester_phone: Phone | None = None
    department: Identifier
    worker_id: Identifier | None = None
    emergency: bool = Field(default=False, description="R-CB-7: callback due at once.")
    major: bool = Field(default=False, description="R-CB-7: callback due at once.")
    fee_cents: int | None = Field(default=None, ge=0, description="Paid-service fee in fen (0.01 CNY).")
    requested_at: UtcDatetime | None = None
    closed_at: UtcDatetime
    signed_off: bool = Field(description="The requester signed the completed order.")
    materials: list[Material] = Field(default_factory=list, description="Added in v2.")


class ComplaintRegistered(IntegrationEvent):
    """A complaint was received; some presets call back within 24 h of it (R-CB-2, seed 002)."""

    TYPE = "intake.ComplaintRegistered"
    VERSION = 1

    complaint_id: Identifier
    erp_id: Identifier | None = None
    channel: Channel
    grade: ComplaintGrade
    validity: ComplaintValidity | None = Field(default=None, description="Often judged later.")
    category: Name
    subcategory: Name | None = None
    description: Text
    unit_id: Identifier | None = None
    requester_name: Name | None = None
    requester_phone: Phone | None = None
    department: Identifier | None = None
    received_at: UtcDatetime
    origin_callback_id: Identifier | None = Field(
        default=None, description="R-CB-9: the callback during which it was raised (channel callback)."
    )


class ComplaintResolved(IntegrationEvent):
    """A complaint's handling was fed back; round > 1 after a reopening (R-CB-10)."""

    TYPE = "intake.ComplaintResolved"
    VERSION = 1

    complaint_id: Identifier
    erp_id: Identifier | None = None
    grade: ComplaintGrade
    validity: ComplaintValidity
    category: Name
    subcategory: Name | None = None
    department: Identifier
    unit_id: Identifier | None = None
    requester_name: Name | None = None
    requester_phone: Phone | None = None
    result: Text | None = None
    resolved_at: UtcDatetime
    round: Round = 1
    accepted_by_requester: bool = Field(description="R-CB-10: the complaint closes only when accepted.")
    special_event: bool = Field(default=False, description="R-CB-8: manager door visit within 20 days.")


class RenovationCompleted(IntegrationEvent):
    """A unit's renovation was completed: door visit within 7 days (R-CB-6)."""

    TYPE = "intake.RenovationCompleted"
    VERSION = 1

    renovation_id: Identifier
    erp_id: Identifier | None = None
    unit_id: Identifier
    requester_name: Name | None = None
    requester_phone: Phone | None = None
    contractor: Name | None = None
    completed_at: UtcDatetime


_OWN_EVENT_KINDS = {RequestKind.REPAIR, RequestKind.COMPLAINT, RequestKind.RENOVATION}


class ServiceRequestClosed(IntegrationEvent):
    """A consultation, help or other service request was closed: callback within a week (R-CB-8)."""

    TYPE = "intake.ServiceRequestClosed"
    VERSION = 1

    request_id: Identifier
    erp_id: Identifier | None = None
    request_kind: RequestKind
    channel: Channel
    category: Name | None = None
    subcategory: Name | None = None
    unit_id: Identifier | None = None
    requester_name: Name | None = None
    requester_phone: Phone | None = None
    department: Identifier | None = None
    closed_at: UtcDatetime
    special_event: bool = Field(default=False, description="R-CB-8: manager door visit within 20 days.")

    @field_validator("request_kind")
    @classmethod
    def _not_an_order_complaint_or_renovation(cls, kind: RequestKind) -> RequestKind:
        # Those close through OrderClosed, ComplaintResolved and RenovationCompleted; one fact, one event.
        if kind in _OWN_EVENT_KINDS:
            raise ValueError(f"{kind.value} requests close through their own event")
        return kind
