"""R-OP-3: the monthly roster, approved leave and swaps, and who is working on a duty day."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal
from zoneinfo import ZoneInfo

from huifang_contracts.enums import StaffRole

from huifang_dispatch.domain.duty import month_days
from huifang_dispatch.domain.errors import InputInvalid

ChangeKind = Literal["leave", "swap"]

#: The service center's 24-h duty roles: once a month's roster is published, they work only on it.
ROSTERED_ROLES = frozenset({StaffRole.RECEPTIONIST, StaffRole.DISPATCHER, StaffRole.SERVICE_CENTER_STAFF})


@dataclass(frozen=True, slots=True)
class ApprovedChange:
    """A supervisor-approved leave (someone may cover) or swap (two people trade duty days)."""

    kind: ChangeKind
    duty_date: date
    staff_id: str
    substitute_id: str | None = None
    swap_date: date | None = None


def effective_duty(shifts: Iterable[tuple[date, str]], changes: Iterable[ApprovedChange]) -> set[tuple[date, str]]:
    """The roster's (day, person) pairs after approved changes; unapproved ones never count (R-OP-3)."""
    on = set(shifts)
    for change in changes:
        on.discard((change.duty_date, change.staff_id))
        if change.substitute_id:
            on.add((change.duty_date, change.substitute_id))
        if change.kind == "swap" and change.swap_date and change.substitute_id:
            on.discard((change.swap_date, change.substitute_id))
            on.add((change.swap_date, change.staff_id))
    return on


@dataclass(frozen=True, slots=True)
class DutyFacts:
    """What assignment needs to know about one duty day of one estate."""

    duty_date: date
    on_duty: frozenset[str]
    rostered: frozenset[str]
    on_leave: frozenset[str]
    roster_published: bool = False

    def working(self, staff_id: str, role: StaffRole) -> bool:
        # R-OP-3: the published roster decides for the people on it and for the service center's duty
        # roles; others (managers, department heads) keep office duty unless on approved leave. With no
        # roster published for the month, everyone counts as working unless on approved leave.
        if staff_id in self.rostered or (self.roster_published and role in ROSTERED_ROLES):
            return staff_id in self.on_duty
        return staff_id not in self.on_leave


def duty_facts(
    duty_date: date,
    shifts: Iterable[tuple[date, str]],
    changes: Iterable[ApprovedChange],
    rostered: Iterable[str],
    roster_published: bool = False,
) -> DutyFacts:
    """Facts for `duty_date` from the month's shifts, the approved changes touching it, the rostered."""
    changes = list(changes)
    effective = effective_duty(shifts, changes)
    leave = {c.staff_id for c in changes if c.duty_date == duty_date and c.kind == "leave"}
    covering = {c.substitute_id for c in changes if c.substitute_id}
    return DutyFacts(
        duty_date=duty_date,
        on_duty=frozenset(person for day, person in effective if day == duty_date),
        rostered=frozenset(rostered) | frozenset(s for s in covering if s),
        on_leave=frozenset(leave),
        roster_published=roster_published,
    )


def check_shifts_in_month(month: str, shifts: Iterable[tuple[date, str]]) -> None:
    days = set(month_days(month))
    for day, _person in shifts:
        if day not in days:
            raise InputInvalid("shifts", f"{day.isoformat()} is not in {month}")


def uncovered_days(month: str, shifts: Iterable[tuple[date, str]]) -> list[date]:
    """R-OP-3: duty is 24 h; a published roster leaves no day without someone on duty."""
    covered = {day for day, _person in shifts}
    return [day for day in month_days(month) if day not in covered]


def published_late(month: str, now: datetime, tz: ZoneInfo) -> bool:
    """R-OP-3: a roster is made before the month begins; later publication is recorded as late."""
    return now.astimezone(tz).date() >= month_days(month)[0]


def check_month_not_over(month: str, now: datetime, tz: ZoneInfo) -> None:
    if now.astimezone(tz).date() > month_days(month)[-1]:
        raise InputInvalid("month", f"{month} is already over")
