"""The callback's life (issue 6 §4): scheduled → due → completed | failed, or overdue on the way.

Transitions are guarded by state, so a second tick, a second instance or a replayed event finds
nothing to do: the SQL that applies a transition carries the same guard (`WHERE state = ANY(...)`).
"""

from __future__ import annotations

from enum import StrEnum


class CallbackState(StrEnum):
    SCHEDULED = "scheduled"
    DUE = "due"
    OVERDUE = "overdue"
    COMPLETED = "completed"
    FAILED = "failed"

    @property
    def label_zh(self) -> str:
        return _LABELS[self]


_LABELS = {
    CallbackState.SCHEDULED: "已排期",
    CallbackState.DUE: "待回访",
    CallbackState.OVERDUE: "已超时",
    CallbackState.COMPLETED: "已完成",
    CallbackState.FAILED: "未联系上",
}

#: States from which each transition may happen.
MAY_BECOME_DUE = (CallbackState.SCHEDULED,)
MAY_BECOME_OVERDUE = (CallbackState.SCHEDULED, CallbackState.DUE)
OPEN = (CallbackState.SCHEDULED, CallbackState.DUE, CallbackState.OVERDUE)  # completed/failed may follow
