"""Superseded event versions and the upcasters that lift their payloads one version up.

Old versions stay forever: the topics keep every message, and a rebuild reads them again. A reader
never sees these classes; `registry.decode` upcasts `vN → vN+1 → … → latest` on the payload dict and
validates the result against the current model.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import Field

from huifang_contracts.base import IntegrationEvent
from huifang_contracts.enums import Channel, RequestKind
from huifang_contracts.values import Identifier, Name, Phone, UtcDatetime

Payload = dict[str, Any]
Upcaster = Callable[[Payload], Payload]


class OrderClosedV1(IntegrationEvent):
    """`intake.OrderClosed` before materials were carried (v2 adds `materials`)."""

    TYPE = "intake.OrderClosed"
    VERSION = 1

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


def upcast_order_closed_v1_v2(payload: Payload) -> Payload:
    """v1 orders recorded no materials: say so explicitly rather than leave it to a default."""
    return {**payload, "materials": []}


SUPERSEDED: tuple[type[IntegrationEvent], ...] = (OrderClosedV1,)

# (TYPE, from_version) → the function lifting that version's payload to from_version + 1.
UPCASTERS: dict[tuple[str, int], Upcaster] = {
    (OrderClosedV1.TYPE, 1): upcast_order_closed_v1_v2,
}
