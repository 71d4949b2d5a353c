"""Rows to HTTP models: labels in Chinese beside the codes, times in UTC and estate-local."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import asyncpg
from huifang_contracts.enums import CallbackMethod, RequestKind, StaffRole

from huifang_dispatch.adapters.estates import zone_named
from huifang_dispatch.domain.eligibility import UnassignedReason
from huifang_dispatch.domain.worklist import bucket_of
from huifang_dispatch.entrypoints.schemas import CallbackOut, LocalTime, StaffOut

STATUS_ZH = {
    "scheduled": "待回访",
    "unassigned": "待分派",
    "assigned": "已分派",
    "accepted": "已接单",
    "completed": "已完成",
    "failed": "回访失败",
}


def local_time(instant: datetime, tz: ZoneInfo) -> LocalTime:
    return LocalTime(utc=instant, local=instant.astimezone(tz).isoformat(timespec="minutes"))


def zone_of(row: asyncpg.Record) -> ZoneInfo:
    return zone_named(row["timezone"])


def callback_out(row: asyncpg.Record, now: datetime | None = None) -> CallbackOut:
    tz = zone_of(row)
    reason = row["unassigned_reason"]
    return CallbackOut(
        callback_id=row["callback_id"],
        estate_id=row["estate_id"],
        status=row["status"],
        status_zh=STATUS_ZH[row["status"]],
        bucket=bucket_of(row["deadline"], now, tz) if now is not None else None,
        kind=row["kind"],
        kind_zh=RequestKind(row["kind"]).label_zh if row["kind"] else None,
        method=row["method"],
        method_zh=CallbackMethod(row["method"]).label_zh,
        caller_role=row["caller_role"],
        apology=row["apology"],
        grade=row["grade"],
        category=row["category"],
        subcategory=row["subcategory"],
        unit_id=row["unit_id"],
        requester_name=row["requester_name"],
        requester_phone=row["requester_phone"],
        department=row["department"],
        round=row["round"],
        window_start=local_time(row["window_start"], tz) if row["window_start"] else None,
        due_at=local_time(row["due_at"], tz),
        deadline=local_time(row["deadline"], tz),
        max_attempts=row["max_attempts"],
        attempts_made=row["attempts_made"],
        assignee_id=row["assignee_id"],
        assignee_role=row["assignee_role"],
        accepted=row["status"] == "accepted",
        overdue=row["overdue"],
        unassigned_reason=reason,
        unassigned_reason_zh=UnassignedReason(reason).label_zh
        if reason in UnassignedReason._value2member_map_
        else None,
        escalated_to_role=row["escalated_to_role"],
    )


def staff_out(row: asyncpg.Record) -> StaffOut:
    role = StaffRole(row["role"])
    return StaffOut(
        staff_id=row["staff_id"],
        group_id=row["group_id"],
        estate_id=row["estate_id"],
        name=row["name"],
        role=role,
        role_zh=role.label_zh,
        department=row["department"],
        phone=row["phone"],
        service_center=row["service_center"],
        door_visits=row["door_visits"],
        active=row["active"],
        open_load=row["open_load"],
    )
