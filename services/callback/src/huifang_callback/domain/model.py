"""The callback's life (issue 6 §4): scheduled → due → completed | failed, or overdue on the way.

Which transition a command makes from which state is decided in `callback_life.decide`; the stream's
expected version keeps two writers from making one twice.
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

#: States a result may still close (a late answer closes an overdue callback).
OPEN = (CallbackState.SCHEDULED, CallbackState.DUE, CallbackState.OVERDUE)  # completed/failed may follow
