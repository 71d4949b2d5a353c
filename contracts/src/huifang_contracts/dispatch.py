"""Events published by dispatch: staff who may call back, and who holds each callback."""

from __future__ import annotations

from pydantic import Field

from huifang_contracts.base import IntegrationEvent
from huifang_contracts.enums import ReassignReason, StaffRole
from huifang_contracts.values import Identifier, Name, Phone, UtcDatetime


class StaffRegistered(IntegrationEvent):
    """A staff member of the estate: who may record callbacks, and names for drill-down (R-RP-4)."""

    TYPE = "dispatch.StaffRegistered"
    VERSION = 1

    staff_id: Identifier
    name: Name
    role: StaffRole
    department: Identifier | None = None
    phone: Phone | None = None


class CallbackAssigned(IntegrationEvent):
    """A due callback went into a staff member's queue."""

    TYPE = "dispatch.CallbackAssigned"
    VERSION = 1

    callback_id: Identifier
    assignee_id: Identifier
    assignee_role: StaffRole
    assigned_by: Identifier | None = Field(default=None, description="None when assigned automatically.")
    deadline: UtcDatetime


class CallbackReassigned(IntegrationEvent):
    """A callback moved to another staff member, e.g. escalated when overdue."""

    TYPE = "dispatch.CallbackReassigned"
    VERSION = 1

    callback_id: Identifier
    previous_assignee_id: Identifier
    assignee_id: Identifier
    assignee_role: StaffRole
    reason: ReassignReason
    reassigned_by: Identifier | None = Field(default=None, description="None when reassigned automatically.")
    deadline: UtcDatetime
