"""HTTP bodies (never the contracts): what a desk or an integration sends for each command.

Times must carry their zone (`AwareDatetime`): a bare "2026-03-02 16:40" is refused with 422, since
guessing the zone would shift every deadline callback computes from it.
"""

from __future__ import annotations

from huifang_contracts.enums import Channel, ComplaintGrade, ComplaintValidity, RequestKind
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from huifang_intake.domain.orders import MaterialUse

Id = str


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Requester(Body):
    unit_id: Id | None = Field(default=None, max_length=128)
    requester_name: str | None = Field(default=None, max_length=200)
    requester_phone: str | None = Field(default=None, max_length=40, description="Any common form; stored E.164.")


class OrderCreate(Requester):
    estate_id: Id = Field(min_length=1, max_length=128)
    order_id: Id | None = Field(default=None, max_length=128, description="Assigned when absent.")
    request_kind: RequestKind = RequestKind.REPAIR
    channel: Channel = Channel.HOTLINE
    category: str = Field(min_length=1, max_length=200)
    subcategory: str | None = Field(default=None, max_length=200)
    description: str | None = Field(default=None, max_length=4000)
    emergency: bool = False
    major: bool = False
    requested_at: AwareDatetime


class OrderDispatch(Body):
    department: Id = Field(min_length=1, max_length=128)
    dispatched_at: AwareDatetime


class OrderComplete(Body):
    worker_id: Id = Field(min_length=1, max_length=128)
    materials: list[MaterialUse] = []
    fee_cents: int | None = Field(default=None, ge=0, description="Paid-service fee in fen.")
    completed_at: AwareDatetime


class OrderSignOff(Body):
    signed_off_at: AwareDatetime


class OrderClose(Body):
    closed_at: AwareDatetime


class ClosedOrderRecord(OrderCreate):
    """An order closed elsewhere (ERP export, paper slip) recorded in one step."""

    erp_id: Id | None = Field(default=None, max_length=128)
    department: Id = Field(min_length=1, max_length=128)
    worker_id: Id | None = Field(default=None, max_length=128)
    materials: list[MaterialUse] = []
    fee_cents: int | None = Field(default=None, ge=0)
    signed_off: bool = True
    closed_at: AwareDatetime


class ComplaintCreate(Requester):
    estate_id: Id = Field(min_length=1, max_length=128)
    complaint_id: Id | None = Field(default=None, max_length=128)
    channel: Channel = Channel.HOTLINE
    grade: ComplaintGrade = ComplaintGrade.GENERAL
    validity: ComplaintValidity | None = None
    category: str = Field(min_length=1, max_length=200)
    subcategory: str | None = Field(default=None, max_length=200)
    description: str = Field(max_length=4000)
    department: Id | None = Field(default=None, max_length=128)
    received_at: AwareDatetime
    origin_callback_id: Id | None = Field(default=None, max_length=128)


class ComplaintJudge(Body):
    validity: ComplaintValidity
    grade: ComplaintGrade | None = None
    at: AwareDatetime


class FollowUpAdd(Body):
    note: str = Field(min_length=1, max_length=4000)
    by: Id | None = Field(default=None, max_length=128)
    at: AwareDatetime


class ComplaintPause(Body):
    reason: str | None = Field(default=None, max_length=4000)
    at: AwareDatetime


class At(Body):
    at: AwareDatetime


class ComplaintResolve(Body):
    result: str | None = Field(default=None, max_length=4000)
    validity: ComplaintValidity | None = None
    department: Id | None = Field(default=None, max_length=128)
    accepted_by_requester: bool
    special_event: bool = False
    resolved_at: AwareDatetime


class RequestOpen(Requester):
    estate_id: Id = Field(min_length=1, max_length=128)
    request_id: Id | None = Field(default=None, max_length=128)
    request_kind: RequestKind
    channel: Channel = Channel.HOTLINE
    category: str | None = Field(default=None, max_length=200)
    subcategory: str | None = Field(default=None, max_length=200)
    department: Id | None = Field(default=None, max_length=128)
    description: str | None = Field(default=None, max_length=4000)
    special_event: bool = False
    opened_at: AwareDatetime


class RequestClose(Body):
    closed_at: AwareDatetime
    special_event: bool = False
    result: str | None = Field(default=None, max_length=4000)


class RenovationRecord(Requester):
    estate_id: Id = Field(min_length=1, max_length=128)
    renovation_id: Id | None = Field(default=None, max_length=128)
    unit_id: Id = Field(min_length=1, max_length=128)
    contractor: str | None = Field(default=None, max_length=200)
    completed_at: AwareDatetime


class CategoryAdd(Body):
    category: str = Field(min_length=1, max_length=200)
    subcategory: str | None = Field(default=None, max_length=200)


class Page(BaseModel):
    items: list[dict[str, object]]
    total: int
    page: int
    page_size: int
