"""The work order (派工单): created → dispatched → completed → signed off → closed.

Each command checks its status and inputs, then returns the new state and the change it records.
Closing publishes `OrderClosed` (service_layer/outgoing.py); the callback service decides what follows.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from huifang_contracts.enums import Channel, MaterialSource, RequestKind
from huifang_contracts.labels import LabelledEnum
from pydantic import BaseModel, ConfigDict, Field

from huifang_intake.domain.changes import Change, Record
from huifang_intake.domain.errors import DomainError, TransitionRefused


class OrderStatus(LabelledEnum):
    CREATED = "created", "已创建"
    DISPATCHED = "dispatched", "已派工"
    COMPLETED = "completed", "已完工"
    SIGNED_OFF = "signed_off", "已签认"
    CLOSED = "closed", "已关闭"


ORDER_KINDS = frozenset({RequestKind.REPAIR, RequestKind.OTHER_SERVICE})

DISPATCH_WITHIN = timedelta(minutes=20)
"""R-OP-1: a repair slip reaches engineering within 20 minutes."""


class MaterialUse(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    quantity: float = Field(gt=0)
    unit: str | None = None
    source: MaterialSource
    verified: bool | None = None


class WorkOrder(Record):
    order_id: str
    status: OrderStatus
    request_kind: RequestKind = RequestKind.REPAIR
    channel: Channel
    category: str
    subcategory: str | None = None
    unit_id: str | None = None
    requester_name: str | None = None
    requester_phone: str | None = None
    description: str | None = None
    emergency: bool = False
    major: bool = False
    department: str | None = None
    worker_id: str | None = None
    materials: tuple[MaterialUse, ...] = ()
    fee_cents: int | None = None
    signed_off: bool = False
    requested_at: datetime
    dispatched_at: datetime | None = None
    completed_at: datetime | None = None
    signed_off_at: datetime | None = None
    closed_at: datetime | None = None

    def _require(self, action: str, *allowed: OrderStatus) -> None:
        if self.status not in allowed:
            raise TransitionRefused("order", self.status.value, action, tuple(s.value for s in allowed))

    def dispatch(self, department: str, at: datetime) -> tuple[WorkOrder, Change]:
        # A redispatch to another department is allowed until work is completed.
        self._require("dispatch", OrderStatus.CREATED, OrderStatus.DISPATCHED)
        self.require_order(at=at, after=self.requested_at, field="dispatched_at", after_field="requested_at")
        first = self.dispatched_at or at
        new = self.evolve(**{"status": OrderStatus.DISPATCHED, "department": department, "dispatched_at": first})
        # R-OP-1: the first dispatch counts against the 20-minute promise; a redispatch does not restart it.
        late = self.dispatched_at is None and at - self.requested_at > DISPATCH_WITHIN
        return new, Change(name="dispatched", at=at, data={"department": department, "late": late})

    def complete(
        self, worker_id: str, materials: list[MaterialUse], fee_cents: int | None, at: datetime
    ) -> tuple[WorkOrder, Change]:
        self._require("complete", OrderStatus.DISPATCHED)
        self.require_order(at=at, after=self.dispatched_at, field="completed_at", after_field="dispatched_at")
        check_materials(materials)
        if fee_cents is not None and fee_cents < 0:
            raise DomainError("fee_cents", "a fee cannot be negative")
        new = self.model_copy(
            update={
                "status": OrderStatus.COMPLETED,
                "worker_id": worker_id,
                "materials": tuple(materials),
                "fee_cents": fee_cents,
                "completed_at": at,
            }
        )
        data = {
            "worker_id": worker_id,
            "materials": [m.model_dump(mode="json") for m in materials],
            "fee_cents": fee_cents,
        }
        return new, Change(name="completed", at=at, data=data)

    def sign_off(self, at: datetime) -> tuple[WorkOrder, Change]:
        self._require("sign off", OrderStatus.COMPLETED)
        self.require_order(at=at, after=self.completed_at, field="signed_off_at", after_field="completed_at")
        new = self.evolve(**{"status": OrderStatus.SIGNED_OFF, "signed_off": True, "signed_off_at": at})
        return new, Change(name="signed_off", at=at)

    def close(self, at: datetime) -> tuple[WorkOrder, Change]:
        # The requester's signature comes before closure: an unsigned order cannot be closed.
        self._require("close", OrderStatus.SIGNED_OFF)
        self.require_order(at=at, after=self.signed_off_at, field="closed_at", after_field="signed_off_at")
        new = self.evolve(**{"status": OrderStatus.CLOSED, "closed_at": at})
        return new, Change(name="closed", at=at)


def check_materials(materials: list[MaterialUse]) -> None:
    """Seed 003 §七–八: owner-supplied materials are verified pass/fail before the work is accepted."""
    for index, material in enumerate(materials):
        if material.source is MaterialSource.OWNER and material.verified is None:
            raise DomainError(f"materials[{index}].verified", "an owner-supplied material must be verified pass/fail")


def create_order(order: WorkOrder) -> tuple[WorkOrder, Change]:
    """A new order from the desk: status created, nothing else decided yet."""
    if order.request_kind not in ORDER_KINDS:
        raise DomainError("request_kind", f"{order.request_kind.value} is not a work-order kind")
    created = order.evolve(**{"status": OrderStatus.CREATED})
    return created, Change(name="created", at=order.requested_at, data={"channel": order.channel.value})


def record_closed_order(order: WorkOrder) -> tuple[WorkOrder, Change]:
    """An order already closed elsewhere (ERP, paper slip): accepted as it is, with its own times checked."""
    if order.request_kind not in ORDER_KINDS:
        raise DomainError("request_kind", f"{order.request_kind.value} is not a work-order kind")
    if order.closed_at is None:
        raise DomainError("closed_at", "required")
    if order.department is None:
        raise DomainError("department", "the department that did the work is required")
    order.require_order(at=order.closed_at, after=order.requested_at, field="closed_at", after_field="requested_at")
    check_materials(list(order.materials))
    closed = order.evolve(**{"status": OrderStatus.CLOSED})
    return closed, Change(name="recorded_closed", at=order.closed_at, data={"signed_off": order.signed_off})
