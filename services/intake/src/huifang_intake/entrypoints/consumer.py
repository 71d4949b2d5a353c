"""What intake consumes: the ERP's raw messages (decoded here) and two events of other services.

`decode_erp_record` turns an `erp.inbound` record into a delivery whose envelope id is derived from the
ERP's own id, so the infra inbox deduplicates it; a message that does not validate is `Poison` and goes
to `intake.dlq` with its reason while the rest flow on.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from aiokafka.structs import ConsumerRecord
from huifang_contracts.callback import ComplaintReopened
from huifang_contracts.enums import Channel, ComplaintGrade
from huifang_contracts.envelope import Envelope
from huifang_contracts.survey import ComplaintRaisedDuringCallback
from huifang_infra.consumer import Delivery, Handler, Poison
from huifang_infra.db import Connection

from huifang_intake.adapters.erp_format import KINDS, TYPES, ErpMessage, parse_message
from huifang_intake.domain.complaints import Complaint, register_complaint
from huifang_intake.domain.errors import UnknownCategory
from huifang_intake.domain.phones import normalise_phone
from huifang_intake.service_layer.erp import apply_erp
from huifang_intake.service_layer.handlers import Intake

OTHER = "其他"


def decode_erp_record(record: ConsumerRecord) -> Delivery | Poison:
    try:
        raw = json.loads(record.value)
        message = parse_message(raw)
    except Exception as exc:  # not JSON, or not the documented format: parked with the reason
        return Poison("invalid", exc)
    envelope = Envelope(
        event_id=message.message_id(),
        type=KINDS[message.kind][0],
        version=message.format_version,
        occurred_at=message.occurred_at(),
        recorded_at=message.sent_at or datetime.now(UTC),
        group_id=message.group_id,
        estate_id=message.estate_id,
        aggregate_id=message.record_id,
        correlation_id=message.message_id(),
        producer=message.erp_system,
        payload=raw,
    )
    return Delivery(record, envelope, message)


def handlers_for(intake: Intake) -> dict[str, Handler]:
    async def on_erp(conn: Connection, message: ErpMessage, envelope: Envelope) -> None:
        await apply_erp(conn, intake, message, cause=envelope)

    async def on_reopened(conn: Connection, event: ComplaintReopened, envelope: Envelope) -> None:
        # R-CB-10: the requester was dissatisfied; the complaint goes back in progress for the next round.
        await intake.change(
            conn, envelope.group_id, "complaint", event.complaint_id,
            lambda c: c.reopen(event.round, event.reason, envelope.occurred_at), cause=envelope,
        )  # fmt: skip

    async def on_raised(conn: Connection, event: ComplaintRaisedDuringCallback, envelope: Envelope) -> None:
        if await intake.records.get(conn, envelope.group_id, "complaint", f"CB-{event.issue_id}") is not None:
            return  # survey re-sent the issue under a new event id: one issue, one complaint
        await intake.create(conn, "complaint", await complaint_from_callback(conn, intake, event, envelope),
                            register_complaint, envelope)  # fmt: skip

    handlers: dict[str, Handler] = {event_type: on_erp for event_type in TYPES}
    handlers[ComplaintReopened.TYPE] = on_reopened
    handlers[ComplaintRaisedDuringCallback.TYPE] = on_raised
    return handlers


async def complaint_from_callback(
    conn: Connection, intake: Intake, event: ComplaintRaisedDuringCallback, envelope: Envelope
) -> Complaint:
    """R-CB-9: a new complaint, channel callback, escalated to the supervisor survey named."""
    try:
        category, subcategory = await intake.canonical_category(
            conn, envelope.group_id, event.category or OTHER, event.subcategory
        )
    except UnknownCategory:
        # Said on the phone, not picked from a list: keep the words, file it under "other" for triage.
        category, subcategory = OTHER, None
    return Complaint(
        complaint_id=f"CB-{event.issue_id}", group_id=envelope.group_id, estate_id=envelope.estate_id,
        channel=Channel.CALLBACK, grade=ComplaintGrade.GENERAL, category=category, subcategory=subcategory,
        description=event.description, unit_id=event.unit_id, requester_name=event.requester_name,
        requester_phone=normalise_phone(event.requester_phone), received_at=envelope.occurred_at,
        origin_callback_id=event.callback_id,
        escalate_to_role=event.escalate_to_role.value if event.escalate_to_role else None,
    )  # fmt: skip
