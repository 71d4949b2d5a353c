"""Records in a known state for domain tests (times UTC, one estate)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from huifang_contracts.enums import Channel, ComplaintGrade
from huifang_intake.domain.complaints import Complaint
from huifang_intake.domain.orders import OrderStatus, WorkOrder

T0 = datetime(2026, 3, 2, 1, 5, tzinfo=UTC)


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def order(**overrides: Any) -> WorkOrder:
    values: dict[str, Any] = {
        "group_id": "G1",
        "estate_id": "E1",
        "order_id": "WO-1",
        "status": OrderStatus.CREATED,
        "channel": Channel.HOTLINE,
        "category": "给排水",
        "requested_at": T0,
    }
    return WorkOrder(**(values | overrides))


def complaint(**overrides: Any) -> Complaint:
    values: dict[str, Any] = {
        "group_id": "G1",
        "estate_id": "E1",
        "complaint_id": "CP-1",
        "channel": Channel.HOTLINE,
        "grade": ComplaintGrade.GENERAL,
        "category": "公共区域",
        "description": "电梯异响",
        "received_at": T0,
    }
    return Complaint(**(values | overrides))
