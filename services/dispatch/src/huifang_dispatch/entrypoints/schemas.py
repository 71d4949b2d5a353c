"""HTTP models of the dispatch API (never the contracts): inputs validated here, outputs with labels."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from huifang_contracts.enums import StaffRole
from huifang_contracts.values import Identifier, Name, Phone, Text
from huifang_infra.http_values import Month
from pydantic import BaseModel, ConfigDict, Field


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class StaffIn(_In):
    staff_id: Identifier | None = Field(default=None, description="the login id (JWT sub); generated when absent")
    estate_id: Identifier
    name: Name
    role: StaffRole
    department: Identifier | None = None
    phone: Phone | None = None
    service_center: Identifier = "main"
    door_visits: bool = False
    active: bool = True


class StaffPatch(_In):
    name: Name | None = None
    role: StaffRole | None = None
    department: Identifier | None = None
    phone: Phone | None = None
    service_center: Identifier | None = None
    door_visits: bool | None = None
    active: bool | None = None


class StaffOut(BaseModel):
    staff_id: str
    group_id: str
    estate_id: str
    name: str
    role: StaffRole
    role_zh: str
    department: str | None
    phone: str | None
    service_center: str
    door_visits: bool
    active: bool
    open_load: int


class ImportReport(BaseModel):
    registered: list[str]
    updated: list[str]


class LocalTime(BaseModel):
    """One instant as stored (UTC) and as shown in the estate (local)."""

    utc: datetime
    local: str


class CallbackOut(BaseModel):
    callback_id: str
    estate_id: str
    status: str
    status_zh: str
    bucket: Literal["overdue", "due_today", "upcoming"] | None = None
    kind: str | None
    kind_zh: str | None
    method: str
    method_zh: str
    caller_role: str
    apology: bool
    grade: str | None
    category: str | None
    subcategory: str | None
    unit_id: str | None
    requester_name: str | None
    requester_phone: str | None
    department: str | None
    round: int
    window_start: LocalTime | None
    due_at: LocalTime
    deadline: LocalTime
    max_attempts: int | None
    attempts_made: int
    assignee_id: str | None
    assignee_role: str | None
    accepted: bool
    overdue: bool
    unassigned_reason: str | None
    unassigned_reason_zh: str | None
    escalated_to_role: str | None


class MyQueue(BaseModel):
    staff_id: str
    overdue: list[CallbackOut]
    due_today: list[CallbackOut]
    upcoming: list[CallbackOut]


class ReassignIn(_In):
    assignee_id: Identifier


class EstateQueue(BaseModel):
    estate_id: str
    callbacks: list[CallbackOut]
    load: dict[str, int] = Field(description="open callbacks per staff id")


class RosterIn(_In):
    estate_id: Identifier
    service_center: Identifier = "main"
    month: Month
    shifts: dict[date, Annotated[list[Identifier], Field(min_length=1)]] = Field(
        description="duty date → who is on duty from 08:30 that day to 08:30 the next (R-OP-3)"
    )


class RosterOut(BaseModel):
    roster_id: str
    estate_id: str
    service_center: str
    month: str
    status: str
    published_late: bool
    shifts: dict[date, list[str]]


class RosterChangeIn(_In):
    roster_id: Identifier
    kind: Literal["leave", "swap"]
    duty_date: date
    staff_id: Identifier
    substitute_id: Identifier | None = None
    swap_date: date | None = None
    reason: Text | None = None


class RosterChangeOut(BaseModel):
    change_id: str
    roster_id: str
    kind: str
    duty_date: date
    staff_id: str
    substitute_id: str | None
    swap_date: date | None
    status: str


class OnDutyOut(BaseModel):
    estate_id: str
    duty_date: date
    starts: LocalTime
    ends: LocalTime
    staff_ids: list[str]


class DutyLogIn(_In):
    estate_id: Identifier
    service_center: Identifier = "main"
    body: Annotated[str, Field(min_length=1, max_length=4000)]
    corrects_entry_id: int | None = Field(default=None, description="set to correct an earlier entry")


class SignOffIn(_In):
    estate_id: Identifier
    service_center: Identifier = "main"
    duty_date: date
    body: Annotated[str, Field(max_length=4000)] = "已查阅"


class DutyLogEntryOut(BaseModel):
    entry_id: int
    estate_id: str
    service_center: str
    duty_date: date
    kind: str
    author_id: str
    body: str
    corrects_entry_id: int | None
    corrected_by: list[int] = Field(default_factory=list)
    recorded_at: LocalTime


class ItemIn(_In):
    title: Name
    detail: Text | None = None
    important: bool = False


class HandoverIn(_In):
    estate_id: Identifier
    service_center: Identifier = "main"
    incoming_id: Identifier
    notes: Text | None = None
    new_items: list[ItemIn] = Field(default_factory=list)


class ItemOut(BaseModel):
    item_id: str
    title: str
    detail: str | None
    important: bool
    status: str
    escalated_to: str | None
    opened_at: datetime
    closed_at: datetime | None


class HandoverOut(BaseModel):
    handover_id: str
    estate_id: str
    service_center: str
    duty_date: date
    outgoing_id: str
    incoming_id: str
    status: str
    outgoing_signed_at: datetime
    incoming_signed_at: datetime | None
    notes: str | None
    carried: list[ItemOut]


class ItemActionIn(_In):
    note: Text | None = None
    escalated_to: Identifier | None = Field(default=None, description="the supervisor it goes to (escalate)")
