"""ERP messages → domain commands, for the `erp.inbound` consumer and the HTTP batch import alike.

The ERP is accepted as it is (DOMAIN.md, integrations): an order arrives already closed, a complaint
may arrive only at its resolution. Each message is applied once: `erp_receipts` remembers its id
across both paths (the Kafka inbox alone would not know what the batch import applied).
"""

from __future__ import annotations

from typing import Literal

from huifang_contracts.envelope import Envelope
from huifang_infra.db import Connection

from huifang_intake.adapters.erp_format import (
    ComplaintData,
    ComplaintResolvedData,
    ErpMessage,
    OrderClosedData,
    RenovationData,
    ServiceRequestClosedData,
)
from huifang_intake.domain.complaints import Complaint, register_complaint
from huifang_intake.domain.orders import OrderStatus, WorkOrder, record_closed_order
from huifang_intake.domain.phones import normalise_phone
from huifang_intake.domain.requests import Renovation, ServiceRequest, open_request, record_renovation
from huifang_intake.service_layer.handlers import Intake

Outcome = Literal["applied", "duplicate"]


async def first_receipt(conn: Connection, message: ErpMessage) -> bool:
    inserted = await conn.fetchval(
        """INSERT INTO erp_receipts (message_id, erp_system, erp_id, kind) VALUES ($1, $2, $3, $4)
           ON CONFLICT DO NOTHING RETURNING true""",
        message.message_id(), message.erp_system, message.erp_id, message.kind,
    )  # fmt: skip
    return bool(inserted)


async def apply_erp(conn: Connection, intake: Intake, message: ErpMessage, cause: Envelope | None = None) -> Outcome:
    if not await first_receipt(conn, message):
        return "duplicate"
    await intake.known_estate(conn, message.group_id, message.estate_id)
    data = message.data
    common = {"group_id": message.group_id, "estate_id": message.estate_id, "erp_id": message.erp_id}
    phone = normalise_phone(getattr(data, "requester_phone", None), "data.requester_phone")
    if isinstance(data, OrderClosedData):
        fields = data.model_dump(exclude={"requester_phone"})
        order = WorkOrder(
            order_id=message.record_id, status=OrderStatus.CLOSED, requester_phone=phone, **common, **fields
        )
        await intake.create(conn, "order", order, record_closed_order, cause)
    elif isinstance(data, ComplaintResolvedData):
        await _resolve_complaint(conn, intake, message, data, phone, cause)
    elif isinstance(data, ComplaintData):
        await intake.create(
            conn, "complaint", await _complaint(conn, intake, message, data, phone), register_complaint, cause
        )
    elif isinstance(data, RenovationData):
        fields = data.model_dump(exclude={"requester_phone"})
        item = Renovation(renovation_id=message.record_id, requester_phone=phone, **common, **fields)
        await intake.create(conn, "renovation", item, record_renovation, cause)
    elif isinstance(data, ServiceRequestClosedData):
        fields = data.model_dump(exclude={"requester_phone", "opened_at", "closed_at", "special_event"})
        request = ServiceRequest(
            request_id=message.record_id, requester_phone=phone, opened_at=data.opened_at or data.closed_at,
            **common, **fields,
        )  # fmt: skip
        await intake.create(conn, "request", request, open_request, cause)
        await intake.change(
            conn, message.group_id, "request", message.record_id,
            lambda r: r.close(data.closed_at, data.special_event, None), cause=cause,
        )  # fmt: skip
    return "applied"


async def _complaint(
    conn: Connection, intake: Intake, message: ErpMessage, data: ComplaintData, phone: str | None
) -> Complaint:
    category, subcategory = await intake.canonical_category(conn, message.group_id, data.category, data.subcategory)
    fields = data.model_dump(include=set(ComplaintData.model_fields) - {"requester_phone", "category", "subcategory"})
    return Complaint(
        complaint_id=message.record_id, group_id=message.group_id, estate_id=message.estate_id,
        erp_id=message.erp_id, requester_phone=phone, category=category, subcategory=subcategory, **fields,
    )  # fmt: skip


async def _resolve_complaint(
    conn: Connection,
    intake: Intake,
    message: ErpMessage,
    data: ComplaintResolvedData,
    phone: str | None,
    cause: Envelope | None,
) -> None:
    """Registered first when the ERP never sent the registration; a later round reopens it first."""
    if await intake.records.get(conn, message.group_id, "complaint", message.record_id) is None:
        complaint = await _complaint(conn, intake, message, data, phone)
        await intake.create(conn, "complaint", complaint, register_complaint, cause)
    if data.round > 1:
        await intake.change(
            conn, message.group_id, "complaint", message.record_id,
            lambda c: c.reopen(data.round, "ERP", data.resolved_at), cause=cause,
        )  # fmt: skip
    await intake.change(
        conn, message.group_id, "complaint", message.record_id,
        lambda c: c.resolve(
            result=data.result, validity=data.validity, department=data.department,
            accepted_by_requester=data.accepted_by_requester, special_event=data.special_event, at=data.resolved_at,
        ),
        cause=cause,
    )  # fmt: skip
