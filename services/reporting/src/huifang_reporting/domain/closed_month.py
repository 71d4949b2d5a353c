"""The close of an estate-month as a decider: closed once, by the clock or on request (R-SV-5).

A month closed a second time — the loop again, a request, another instance — decides nothing, as the
notices it leads to are required once (`domain/corrective_action.py`). When a month may close is the
caller's to check (its local end plus the grace days, `domain/months.closes_at`; on request, its end).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from huifang_reporting.domain.events import ClosedMonthImported, MonthClosed, MonthClosing, MonthEvent
from huifang_reporting.domain.months import parse_month

STREAM_PREFIX = "closed-month-"


def stream_id(group_id: str, estate_id: str, month: str) -> str:
    return f"{STREAM_PREFIX}{group_id}/{estate_id}/{month}"


@dataclass(frozen=True)
class CloseMonth:
    group_id: str
    estate_id: str
    month: str
    at: datetime
    by: str


def initial_state() -> MonthClosing:
    return MonthClosing()


def decide(command: CloseMonth, state: MonthClosing) -> list[MonthEvent]:
    parse_month(command.month)  # a malformed month is refused (422), not closed
    if state.closed is not None:
        return []  # closed already: the first close stands
    c = command
    return [MonthClosed(c.group_id, c.estate_id, c.month, c.at, c.by)]


def evolve(state: MonthClosing, event: MonthEvent) -> MonthClosing:
    if isinstance(event, MonthClosed):
        return MonthClosing(closed=event)
    assert isinstance(event, ClosedMonthImported)
    return event.closing
