"""Intake's events, read as the `Source` a rule matches and a callback carries."""

from __future__ import annotations

from typing import Any

from huifang_contracts.enums import RequestKind
from huifang_contracts.intake import (
    ComplaintRegistered,
    ComplaintResolved,
    OrderClosed,
    RenovationCompleted,
    ServiceRequestClosed,
)

from huifang_callback.domain.sources import Source


def source_of(event: Any) -> Source:
    """One function per event type would be longer than this match; each branch is one fact mapping."""
    common = {"unit_id": event.unit_id, "requester_name": event.requester_name, "erp_id": event.erp_id}
    common["requester_phone"] = event.requester_phone
    match event:
        case OrderClosed():
            return Source(
                event.TYPE,
                event.order_id,
                event.request_kind,
                event.closed_at,
                event.category,
                event.subcategory,
                urgent=event.emergency or event.major,
                department=event.department,
                worker_id=event.worker_id,  # R-CB-3: dispatch keeps the worker off their own job's callback
                **common,
            )
        case ComplaintResolved():
            return Source(
                event.TYPE,
                event.complaint_id,
                RequestKind.COMPLAINT,
                event.resolved_at,
                event.category,
                event.subcategory,
                event.grade,
                event.validity,
                special_event=event.special_event,
                department=event.department,
                round=event.round,
                **common,
            )
        case ComplaintRegistered():
            return Source(
                event.TYPE,
                event.complaint_id,
                RequestKind.COMPLAINT,
                event.received_at,
                event.category,
                event.subcategory,
                event.grade,
                event.validity,
                department=event.department,
                **common,
            )
        case RenovationCompleted():
            return Source(event.TYPE, event.renovation_id, RequestKind.RENOVATION, event.completed_at, **common)
        case ServiceRequestClosed():
            return Source(
                event.TYPE,
                event.request_id,
                event.request_kind,
                event.closed_at,
                event.category,
                event.subcategory,
                special_event=event.special_event,
                department=event.department,
                **common,
            )
    raise TypeError(f"not a callback trigger: {type(event).__name__}")
