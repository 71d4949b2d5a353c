"""Two different "late"s: after the callback's deadline (R-RP-2) and a record written too late (R-CB-12).

R-CB-12 says the callback record is completed the same day or the next day; days are the estate's
local calendar days, not UTC ones — a call at 23:30 in Shanghai is 15:30 UTC the same day, and a
record at 00:30 local two days later is late although only 25 hours passed.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

#: R-CB-12: same day or the next day.
RECORD_GRACE_DAYS = 1


def record_is_late(contacted_at: datetime, recorded_at: datetime, timezone: str) -> bool:
    """R-CB-12: recorded on a local date after the day following the contact."""
    zone = ZoneInfo(timezone)
    contact_day = contacted_at.astimezone(zone).date()
    record_day = recorded_at.astimezone(zone).date()
    return record_day > contact_day + timedelta(days=RECORD_GRACE_DAYS)


def after_deadline(completed_at: datetime, deadline: datetime | None) -> bool:
    """R-RP-2 timeliness: done after the scheduled deadline; unknown deadline → not late."""
    return deadline is not None and completed_at > deadline
