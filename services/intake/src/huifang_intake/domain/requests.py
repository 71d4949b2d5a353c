"""Service requests that are not work orders or complaints: consultations, help, other services, and
renovation completions. Each is opened and closed, or recorded already closed; the close is the event
callback reacts to (R-CB-6 renovation door visit, R-CB-8 other services and special events).
"""

from __future__ import annotations

from datetime import datetime

from huifang_contracts.enums import Channel, RequestKind
from huifang_contracts.labels import LabelledEnum

from huifang_intake.domain.changes import Change, Record
from huifang_intake.domain.errors import DomainError, TransitionRefused

#: Repairs are work orders, complaints are complaints, renovations have their own record.
SERVICE_REQUEST_KINDS = frozenset({RequestKind.CONSULTATION, RequestKind.HELP, RequestKind.OTHER_SERVICE})


class RequestStatus(LabelledEnum):
    OPEN = "open", "处理中"
    CLOSED = "closed", "已关闭"


class ServiceRequest(Record):
    request_id: str
    status: RequestStatus = RequestStatus.OPEN
    request_kind: RequestKind
    channel: Channel
    category: str | None = None
    subcategory: str | None = None
    unit_id: str | None = None
    requester_name: str | None = None
    requester_phone: str | None = None
    department: str | None = None
    description: str | None = None
    opened_at: datetime
    closed_at: datetime | None = None
    special_event: bool = False

    def close(self, at: datetime, special_event: bool, result: str | None) -> tuple[ServiceRequest, Change]:
        if self.status is not RequestStatus.OPEN:
            raise TransitionRefused("request", self.status.value, "close", (RequestStatus.OPEN.value,))
        self.require_order(at=at, after=self.opened_at, field="closed_at", after_field="opened_at")
        new = self.model_copy(
            update={
                "status": RequestStatus.CLOSED,
                "closed_at": at,
                "special_event": special_event or self.special_event,
            }
        )
        return new, Change(name="closed", at=at, data={"special_event": new.special_event, "result": result})


def open_request(request: ServiceRequest) -> tuple[ServiceRequest, Change]:
    if request.request_kind not in SERVICE_REQUEST_KINDS:
        raise DomainError("request_kind", f"{request.request_kind.value} requests have their own record")
    return request, Change(name="opened", at=request.opened_at, data={"kind": request.request_kind.value})


class Renovation(Record):
    """装修完工: recorded when the unit's renovation passes its completion check."""

    renovation_id: str
    status: str = "completed"
    unit_id: str
    requester_name: str | None = None
    requester_phone: str | None = None
    contractor: str | None = None
    completed_at: datetime


def record_renovation(renovation: Renovation) -> tuple[Renovation, Change]:
    if renovation.completed_at.tzinfo is None:
        raise DomainError("completed_at", "a time needs its zone")
    return renovation, Change(name="completed", at=renovation.completed_at, data={"unit_id": renovation.unit_id})
