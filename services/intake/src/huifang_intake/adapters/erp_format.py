"""The ERP inbound format, version 1 (documented in services/intake/ERP_FORMAT.md).

One JSON object per message: what the ERP says happened, under its own id. The message id Huifang
uses is a uuid5 of (erp_system, erp_id, kind[, round]), so a message the ERP re-sends is recognised.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from huifang_contracts.enums import Channel, ComplaintGrade, ComplaintValidity, RequestKind
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from huifang_intake.domain.errors import DomainError
from huifang_intake.domain.orders import MaterialUse

FORMAT_VERSION = 1
ERP_NAMESPACE = uuid.UUID("5f1d3a52-8c59-4bb4-9d7e-2d0f6a4b1c01")

Id = Annotated[str, Field(min_length=1, max_length=128)]
Text = Annotated[str, Field(max_length=200)]


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    unit_id: Id | None = None
    requester_name: Text | None = None
    requester_phone: Annotated[str, Field(max_length=40)] | None = None


class OrderClosedData(_Data):
    request_kind: RequestKind = RequestKind.REPAIR
    channel: Channel = Channel.ERP
    category: Text
    subcategory: Text | None = None
    description: Annotated[str, Field(max_length=4000)] | None = None
    department: Id
    worker_id: Id | None = None
    emergency: bool = False
    major: bool = False
    fee_cents: int | None = Field(default=None, ge=0)
    materials: list[MaterialUse] = []
    requested_at: AwareDatetime
    closed_at: AwareDatetime
    signed_off: bool = True


class ComplaintData(_Data):
    channel: Channel = Channel.ERP
    grade: ComplaintGrade = ComplaintGrade.GENERAL
    validity: ComplaintValidity | None = None
    category: Text
    subcategory: Text | None = None
    description: Annotated[str, Field(max_length=4000)] = ""
    department: Id | None = None
    received_at: AwareDatetime


class ComplaintResolvedData(ComplaintData):
    result: Annotated[str, Field(max_length=4000)] | None = None
    resolved_at: AwareDatetime
    round: int = Field(default=1, ge=1)
    accepted_by_requester: bool = True
    special_event: bool = False


class RenovationData(_Data):
    unit_id: Id
    contractor: Text | None = None
    completed_at: AwareDatetime


class ServiceRequestClosedData(_Data):
    request_kind: RequestKind
    channel: Channel = Channel.ERP
    category: Text | None = None
    subcategory: Text | None = None
    department: Id | None = None
    description: Annotated[str, Field(max_length=4000)] | None = None
    opened_at: AwareDatetime | None = None
    closed_at: AwareDatetime
    special_event: bool = False


class ErpMessageInvalid(DomainError):
    code = "erp_message_invalid"


KINDS: dict[str, tuple[str, type[_Data]]] = {
    "order_closed": ("erp.OrderClosed", OrderClosedData),
    "complaint_registered": ("erp.ComplaintRegistered", ComplaintData),
    "complaint_resolved": ("erp.ComplaintResolved", ComplaintResolvedData),
    "renovation_completed": ("erp.RenovationCompleted", RenovationData),
    "service_request_closed": ("erp.ServiceRequestClosed", ServiceRequestClosedData),
}
TYPES = {event_type: kind for kind, (event_type, _) in KINDS.items()}


class ErpMessage(BaseModel):
    """The outer shape; `data` is validated by `kind` (see `parse_message`)."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    format_version: Literal[1]
    kind: Literal["order_closed", "complaint_registered", "complaint_resolved", "renovation_completed",
                  "service_request_closed"]  # fmt: skip
    erp_system: Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.\-]+$")]
    erp_id: Annotated[str, Field(min_length=1, max_length=100)]
    group_id: Id
    estate_id: Id
    sent_at: AwareDatetime | None = None
    data: Any

    @property
    def record_id(self) -> str:
        """Huifang's id for the ERP's record: stable, so registration and resolution meet."""
        return f"{self.erp_system}-{self.erp_id}"

    def message_id(self) -> uuid.UUID:
        """uuid5 of the ERP's own identity: a re-sent message gets the same id, a new round a new one."""
        name = f"{self.erp_system}\x1f{self.erp_id}\x1f{self.kind}"
        round_ = getattr(self.data, "round", 1)
        if round_ > 1:
            name += f"\x1f{round_}"
        return uuid.uuid5(ERP_NAMESPACE, name)

    def occurred_at(self) -> AwareDatetime:
        for name in ("closed_at", "resolved_at", "completed_at", "received_at"):
            value = getattr(self.data, name, None)
            if value is not None:
                return value  # type: ignore[no-any-return]
        raise ValueError("no time in data")


def _invalid(exc: ValidationError, prefix: str) -> ErpMessageInvalid:
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first["loc"])
    return ErpMessageInvalid(f"{prefix}{where}" if where else prefix.rstrip(".") or "body", str(first["msg"]))


def parse_message(raw: Any) -> ErpMessage:
    """Validate the outer shape, then `data` by kind; the error names the first field at fault."""
    if not isinstance(raw, dict):
        raise ErpMessageInvalid("body", "an ERP message is a JSON object")
    try:
        message = ErpMessage.model_validate(raw)
    except ValidationError as exc:
        raise _invalid(exc, "") from exc
    _, data_cls = KINDS[message.kind]
    if not isinstance(message.data, dict):
        raise ErpMessageInvalid("data", "an object is required")
    try:
        data = data_cls.model_validate(message.data)
    except ValidationError as exc:
        raise _invalid(exc, "data.") from exc
    return message.model_copy(update={"data": data})
