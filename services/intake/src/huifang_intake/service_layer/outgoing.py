"""Domain change → contracts event, written to the outbox in the command's own transaction.

Only the changes other services react to leave intake (EVENT_FLOW.md); the rest stay in the history.
"""

from __future__ import annotations

from huifang_contracts import intake as contract
from huifang_contracts.base import IntegrationEvent

from huifang_intake.domain.changes import Change, Record
from huifang_intake.domain.complaints import Complaint
from huifang_intake.domain.orders import WorkOrder
from huifang_intake.domain.registry import Building, Department, Estate, EstatePart, Unit
from huifang_intake.domain.requests import Renovation, ServiceRequest

PRODUCER = "intake"


def event_for(record: Record, change: Change) -> IntegrationEvent | None:
    """The integration event a change publishes, if any."""
    if isinstance(record, WorkOrder) and change.name in ("closed", "recorded_closed"):
        return _order_closed(record)
    if isinstance(record, Complaint) and change.name == "registered":
        return contract.ComplaintRegistered(
            complaint_id=record.complaint_id, erp_id=record.erp_id, channel=record.channel, grade=record.grade,
            validity=record.validity, category=record.category, subcategory=record.subcategory,
            description=record.description, unit_id=record.unit_id, requester_name=record.requester_name,
            requester_phone=record.requester_phone, department=record.department, received_at=record.received_at,
            origin_callback_id=record.origin_callback_id,
        )  # fmt: skip
    if isinstance(record, Complaint) and change.name == "resolved":
        assert record.validity is not None and record.department is not None and record.resolved_at is not None
        return contract.ComplaintResolved(
            complaint_id=record.complaint_id, erp_id=record.erp_id, grade=record.grade, validity=record.validity,
            category=record.category, subcategory=record.subcategory, department=record.department,
            unit_id=record.unit_id, requester_name=record.requester_name, requester_phone=record.requester_phone,
            result=record.result, resolved_at=record.resolved_at, round=record.round, accepted_by_requester=True,
            special_event=record.special_event,
        )  # fmt: skip
    if isinstance(record, ServiceRequest) and change.name == "closed":
        assert record.closed_at is not None
        return contract.ServiceRequestClosed(
            request_id=record.request_id, erp_id=record.erp_id, request_kind=record.request_kind,
            channel=record.channel, category=record.category, subcategory=record.subcategory,
            unit_id=record.unit_id, requester_name=record.requester_name, requester_phone=record.requester_phone,
            department=record.department, closed_at=record.closed_at, special_event=record.special_event,
        )  # fmt: skip
    if isinstance(record, Renovation) and change.name == "completed":
        return contract.RenovationCompleted(
            renovation_id=record.renovation_id, erp_id=record.erp_id, unit_id=record.unit_id,
            requester_name=record.requester_name, requester_phone=record.requester_phone,
            contractor=record.contractor, completed_at=record.completed_at,
        )  # fmt: skip
    return None


def _order_closed(order: WorkOrder) -> contract.OrderClosed:
    assert order.closed_at is not None and order.department is not None
    return contract.OrderClosed(
        order_id=order.order_id, erp_id=order.erp_id, request_kind=order.request_kind, channel=order.channel,
        category=order.category, subcategory=order.subcategory, unit_id=order.unit_id,
        requester_name=order.requester_name, requester_phone=order.requester_phone, department=order.department,
        worker_id=order.worker_id, emergency=order.emergency, major=order.major, fee_cents=order.fee_cents,
        requested_at=order.requested_at, closed_at=order.closed_at, signed_off=order.signed_off,
        materials=[contract.Material(**m.model_dump()) for m in order.materials],
    )  # fmt: skip


def estate_event(estate: Estate, *, new: bool) -> IntegrationEvent:
    cls = contract.EstateRegistered if new else contract.EstateUpdated
    return cls.model_validate(estate.facts())


_PART_EVENTS: dict[type[EstatePart], type[IntegrationEvent]] = {
    Building: contract.BuildingSaved,
    Unit: contract.UnitSaved,
    Department: contract.DepartmentSaved,
}


def part_event(part: EstatePart) -> IntegrationEvent:
    """`BuildingSaved`, `UnitSaved` or `DepartmentSaved`: the part's full row (the estate is the envelope's)."""
    return _PART_EVENTS[type(part)].model_validate(part.model_dump())


def category_event(category: str, subcategory: str | None) -> contract.ComplaintCategoryAdded:
    # The registry stores a level-1 category with subcategory ''; on the wire that is None.
    return contract.ComplaintCategoryAdded(category=category, subcategory=subcategory or None)
