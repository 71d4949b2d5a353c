"""What a callback is about: the facts of a triggering event that rules match and callbacks carry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from huifang_contracts.enums import ComplaintGrade, ComplaintValidity, RequestKind


@dataclass(frozen=True)
class Source:
    """One closed order, resolved complaint, completed renovation or closed request."""

    event_type: str
    source_id: str
    kind: RequestKind
    occurred_at: datetime
    category: str | None = None
    subcategory: str | None = None
    grade: ComplaintGrade | None = None
    validity: ComplaintValidity | None = None
    urgent: bool = False  # R-CB-7: emergency or major
    special_event: bool = False  # R-CB-8
    department: str | None = None
    unit_id: str | None = None
    requester_name: str | None = None
    requester_phone: str | None = None
    round: int = 1  # R-CB-10
    erp_id: str | None = None
    worker_id: str | None = None  # R-CB-3: who did the job, never the one to call back about it
