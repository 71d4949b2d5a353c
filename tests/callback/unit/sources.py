"""Sources for unit tests: the facts of intake events, without the envelope."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from huifang_callback.domain.sources import Source
from huifang_contracts.enums import ComplaintGrade, ComplaintValidity, RequestKind

T = datetime(2026, 9, 30, 2, 0, tzinfo=UTC)  # Wed 10:00 Beijing


def order(
    order_id: str = "WO-1", *, urgent: bool = False, kind: RequestKind = RequestKind.REPAIR, **more: Any
) -> Source:
    return Source("intake.OrderClosed", order_id, kind, T, "plumbing", urgent=urgent, unit_id="U-1", **more)


def complaint(
    grade: ComplaintGrade, validity: ComplaintValidity, *, round_no: int = 1, special: bool = False
) -> Source:
    return Source(
        "intake.ComplaintResolved",
        "C-1",
        RequestKind.COMPLAINT,
        T,
        "plumbing",
        grade=grade,
        validity=validity,
        round=round_no,
        special_event=special,
        department="engineering",
    )
