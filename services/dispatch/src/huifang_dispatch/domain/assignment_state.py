"""The state of one callback's assignment, as its events fold it: exactly what the `callbacks` table shows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

#: new (nothing known yet) → scheduled → assigned → accepted → completed | failed; unassigned waits.
OPEN = frozenset({"assigned", "accepted"})
WAITING = frozenset({"scheduled", "unassigned"})
CLOSED = frozenset({"completed", "failed"})


@dataclass(frozen=True, slots=True)
class AssignmentState:
    callback_id: str = ""
    group_id: str = ""
    estate_id: str = ""
    status: str = "new"
    # What callback asked for (CallbackScheduled / CallbackDue); due_at None: neither seen yet.
    due_at: datetime | None = None
    deadline: datetime | None = None
    method: str = "phone"
    caller_role: str = ""
    kind: str | None = None
    source_type: str | None = None
    source_id: str | None = None
    window_start: datetime | None = None
    apology: bool = False
    max_attempts: int | None = None
    round: int = 1
    department: str | None = None
    worker_id: str | None = None
    grade: str | None = None
    category: str | None = None
    subcategory: str | None = None
    unit_id: str | None = None
    requester_name: str | None = None
    requester_phone: str | None = None
    # Where it sits.
    assignee_id: str | None = None
    assignee_role: str | None = None
    assigned_at: datetime | None = None
    accepted_at: datetime | None = None
    unassigned_reason: str | None = None
    unassigned_since: datetime | None = None
    escalated_to_role: str | None = None
    escalated_at: datetime | None = None
    overdue: bool = False
    attempts_made: int = 0
    last_attempt_at: datetime | None = None
    closed_at: datetime | None = None

    @property
    def holder(self) -> str | None:
        """Whose work it is now: the assignee of an open callback."""
        return self.assignee_id if self.status in OPEN else None

    @property
    def known(self) -> bool:
        """callback told us when it is due (the row exists in the `callbacks` table)."""
        return self.due_at is not None
