"""A caller's queue in three parts: overdue, due today, upcoming — "today" is the estate's day."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from zoneinfo import ZoneInfo

Bucket = Literal["overdue", "due_today", "upcoming"]

#: Callback states that are still someone's work.
OPEN_STATES = frozenset({"assigned", "accepted"})


def bucket_of(deadline: datetime, now: datetime, tz: ZoneInfo) -> Bucket:
    """Past the deadline → overdue; deadline on today's local date → due today; later → upcoming."""
    if deadline < now:
        return "overdue"
    if deadline.astimezone(tz).date() <= now.astimezone(tz).date():
        return "due_today"
    return "upcoming"
