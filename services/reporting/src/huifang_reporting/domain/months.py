"""Estate-local months: boundaries, quarters, which month a fact counts in, and when a month is closed.

Months are calendar months in the estate's zone (an event at 2026-01-31 17:00 UTC is February in
Shanghai; an estate not known yet counts in `DEFAULT_ZONE`). A month closes `grace_days` after it ends
locally, so the callbacks of a monthly sample, due before the 5th of the next month (R-CB-4), still
count in it.

The fact tables keep each row's month in the row, set by the database whatever wrote it (migrations
0001 `reporting_month` and 0003's triggers and quarter functions), and the closer's query finds the
months `closes_at` has closed (`adapters/actions.months_due_for_closing`), so SQL holds these rules too:
the cases of tests/reporting/integration/test_rules_agree.py run through both on a real database.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from huifang_reporting.domain.errors import PeriodInvalid

DEFAULT_ZONE = "Asia/Shanghai"
_MONTH = re.compile(r"^([0-9]{4})-(0[1-9]|1[0-2])$")
_QUARTER = re.compile(r"^([0-9]{4})-Q([1-4])$")


def parse_month(month: str) -> tuple[int, int]:
    match = _MONTH.match(month)
    if match is None:
        raise PeriodInvalid("month", f"expected YYYY-MM, got {month!r}")
    return int(match.group(1)), int(match.group(2))


def month_of(instant: datetime, zone: str = DEFAULT_ZONE) -> str:
    """The estate-local month of a UTC instant."""
    return instant.astimezone(ZoneInfo(zone)).strftime("%Y-%m")


def fact_month(instant: datetime | None, zone: str | None) -> str | None:
    """The month a fact counts in: its deciding instant's, in its estate's zone (None: an estate not known
    yet, counted in `DEFAULT_ZONE`); a fact without a deciding instant yet has no month."""
    return None if instant is None else month_of(instant, zone or DEFAULT_ZONE)


def callback_counted_at(
    due_at: datetime | None,
    completed_at: datetime | None,
    failed_at: datetime | None,
    overdue_at: datetime | None,
    first_attempt_at: datetime | None,
    seen_at: datetime,
) -> datetime:
    """A callback counts in the month it is owed in (due_at), so a late completion updates that month;
    until its CallbackScheduled arrives (topics race), in the month of the first of its facts that did."""
    for instant in (due_at, completed_at, failed_at, overdue_at, first_attempt_at):
        if instant is not None:
            return instant
    return seen_at


def complaint_counted_at(received_at: datetime | None, resolved_at: datetime | None) -> datetime | None:
    """A complaint counts in the month it was received (its resolution's until the registration arrives)."""
    return received_at if received_at is not None else resolved_at


def questionnaire_counted_at(campaign_opens_at: datetime | None, returned_at: datetime) -> datetime:
    """R-SV-4 per campaign: a questionnaire counts in its campaign's month (its return's until the opening
    arrives)."""
    return campaign_opens_at if campaign_opens_at is not None else returned_at


def next_month(month: str) -> str:
    year, mon = parse_month(month)
    return f"{year + 1}-01" if mon == 12 else f"{year}-{mon + 1:02d}"


def months_between(first: str, last: str) -> list[str]:
    """Every month from `first` to `last`, both included."""
    parse_month(last)
    if first > last:
        raise PeriodInvalid("from", f"{first} is after {last}")
    months, month = [], first
    while month <= last:
        months.append(month)
        month = next_month(month)
    if len(months) > 120:
        raise PeriodInvalid("from", "at most 120 months at once")
    return months


def month_start(month: str, zone: str = DEFAULT_ZONE) -> datetime:
    """The UTC instant the month starts at in the estate's zone."""
    year, mon = parse_month(month)
    return datetime(year, mon, 1, tzinfo=ZoneInfo(zone)).astimezone(UTC)


def closes_at(month: str, zone: str = DEFAULT_ZONE, grace_days: int = 5) -> datetime:
    """When the month counts as closed: `grace_days` after its local end."""
    return month_start(next_month(month), zone) + timedelta(days=grace_days)


def quarter_months(quarter: str) -> list[str]:
    """`2026-Q3` → ["2026-07", "2026-08", "2026-09"] (回访报告表 is quarterly, R-RP-3)."""
    match = _QUARTER.match(quarter)
    if match is None:
        raise PeriodInvalid("quarter", f"expected YYYY-Qn, got {quarter!r}")
    year, q = int(match.group(1)), int(match.group(2))
    return [f"{year}-{m:02d}" for m in range(3 * q - 2, 3 * q + 1)]


def quarter_of(month: str) -> str:
    """`2026-08` → `2026-Q3`."""
    year, mon = parse_month(month)
    return f"{year}-Q{(mon + 2) // 3}"


def quarters_of_year(year: str) -> list[str]:
    """`2026` → the four quarters whose sums make the year's row."""
    return [f"{year}-Q{q}" for q in range(1, 5)]


def cover(first: str, last: str) -> tuple[list[str], list[str], list[str]]:
    """The range as whole years, whole quarters and the months left over: the fewest rows to sum.

    `2024-11`…`2026-04` → (["2025"], ["2026-Q1"], ["2024-11", "2024-12", "2026-04"]).
    """
    months = months_between(first, last)
    chosen = set(months)
    years = sorted({m[:4] for m in months if {f"{m[:4]}-{i:02d}" for i in range(1, 13)} <= chosen})
    rest = [m for m in months if m[:4] not in years]
    left = set(rest)
    quarters = sorted({quarter_of(m) for m in rest if set(quarter_months(quarter_of(m))) <= left})
    whole = {m for q in quarters for m in quarter_months(q)}
    return years, quarters, [m for m in rest if m not in whole]
