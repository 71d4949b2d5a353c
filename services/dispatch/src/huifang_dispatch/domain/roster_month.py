"""R-OP-3: the roster of one service center's month as a decider — drafted, shifts set, published; leave
and swaps requested and decided by a supervisor. Who works on a day is read from its projection
(`adapters/rosters.py` → `domain/roster.py`), so assignment sees only what was published and approved.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from huifang_dispatch.domain.errors import Conflict, InputInvalid, NotFound
from huifang_dispatch.domain.events import (
    RosterChangeDecided,
    RosterChangeRequested,
    RosterDrafted,
    RosterEvent,
    RosterImported,
    RosterPublished,
    RosterShiftsSet,
    Shift,
)
from huifang_dispatch.domain.roster import (
    check_month_not_over,
    check_shifts_in_month,
    published_late,
    uncovered_days,
)


def roster_id_of(estate_id: str, service_center: str, month: str) -> str:
    return f"ros-{estate_id}-{service_center}-{month}"


def stream_id(roster_id: str) -> str:
    return f"roster-{roster_id}"


@dataclass(frozen=True, slots=True)
class RosterMonth:
    roster_id: str = ""
    group_id: str = ""
    month: str = ""
    status: str = "new"  # new → draft → published
    shifts: tuple[Shift, ...] = ()
    changes: dict[str, str] = field(default_factory=dict)  # change id → requested | approved | rejected


@dataclass(frozen=True)
class SaveRoster:
    drafted: RosterDrafted  # used when the month has no roster yet; its `at` is now
    shifts: tuple[Shift, ...]
    tz: ZoneInfo  # the estate's: R-OP-3 months are the estate's


@dataclass(frozen=True)
class Publish:
    by: str
    at: datetime
    tz: ZoneInfo


@dataclass(frozen=True)
class RequestChange:
    group_id: str
    requested: RosterChangeRequested


@dataclass(frozen=True)
class DecideChange:
    change_id: str
    approve: bool
    by: str
    at: datetime


@dataclass(frozen=True)
class ImportRoster:
    imported: RosterImported


RosterCommand = SaveRoster | Publish | RequestChange | DecideChange | ImportRoster


def initial_state() -> RosterMonth:
    return RosterMonth()


def decide(command: RosterCommand, state: RosterMonth) -> list[RosterEvent]:
    match command:
        case SaveRoster(drafted, shifts, tz):
            if state.status != "new" and state.group_id != drafted.group_id:
                raise NotFound("roster not found")
            check_month_not_over(drafted.month, drafted.at, tz)
            check_shifts_in_month(drafted.month, [(s.duty_date, s.staff_id) for s in shifts])
            if state.status == "published":
                raise Conflict("the roster is published; change it through leave or swap requests")
            events: list[RosterEvent] = [drafted] if state.status == "new" else []
            return [*events, RosterShiftsSet(shifts, drafted.by, drafted.at)]
        case Publish(by, at, tz):
            _known(state)
            if state.status == "published":
                raise Conflict("already published")
            missing = uncovered_days(state.month, [(s.duty_date, s.staff_id) for s in state.shifts])
            if missing:
                days = ", ".join(d.isoformat() for d in missing)
                raise InputInvalid("shifts", "24-h duty leaves no day uncovered: " + days)
            return [RosterPublished(by, at, published_late(state.month, at, tz))]
        case RequestChange(group_id, requested):
            _known(state, group_id)
            return [requested]
        case DecideChange(change_id, approve, by, at):
            _known(state)
            status = state.changes.get(change_id)
            if status is None:
                raise NotFound("roster change not found")
            if status != "requested":
                raise Conflict(f"already {status}")
            return [RosterChangeDecided(change_id, "approved" if approve else "rejected", by, at)]
        case ImportRoster(imported):
            return [] if state.status != "new" else [imported]
    raise TypeError(f"not a roster command: {command!r}")


def _known(state: RosterMonth, group_id: str | None = None) -> None:
    if state.status == "new" or (group_id is not None and group_id != state.group_id):
        raise NotFound("roster not found")


def evolve(state: RosterMonth, event: RosterEvent) -> RosterMonth:
    match event:
        case RosterDrafted():
            return replace(state, roster_id=event.roster_id, group_id=event.group_id, month=event.month, status="draft")
        case RosterShiftsSet():
            return replace(state, shifts=event.shifts)
        case RosterPublished():
            return replace(state, status="published")
        case RosterChangeRequested():
            return replace(state, changes={**state.changes, event.change_id: "requested"})
        case RosterChangeDecided():
            return replace(state, changes={**state.changes, event.change_id: event.status})
        case RosterImported():
            row = event.roster
            changes = {c.change_id: c.status for c in event.changes}
            return RosterMonth(row.roster_id, row.group_id, row.month, row.status, event.shifts, changes)
    raise TypeError(f"not a roster event: {event!r}")
