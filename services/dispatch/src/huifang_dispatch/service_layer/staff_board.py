"""The staff of the estates a batch of assignment commands touches, read and locked once, loads kept live.

Read in one statement for a whole poll (staff rows locked in id order, as every assigner locks them,
so two consumer instances, the retry loop and a manager serialise and each sees the other's load),
plus one for the duty rosters. The commands decide on views of it; after each decision the board
takes the load the decision moved, so the next callback of the same poll is balanced against it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from huifang_contracts.enums import StaffRole
from huifang_infra.db import Connection

from huifang_dispatch.adapters import rosters, staff
from huifang_dispatch.adapters.estates import zone_named
from huifang_dispatch.domain.assignment import LoadMove
from huifang_dispatch.domain.duty import duty_date_at
from huifang_dispatch.domain.eligibility import Candidate
from huifang_dispatch.domain.roster import DutyFacts, duty_facts


@dataclass(slots=True)
class _Person:
    staff_id: str
    estate_id: str
    role: StaffRole
    department: str | None
    door_visits: bool
    active: bool
    open_load: int
    assigned_day: date | None
    assigned_today: int


_NOBODY_ROSTERED = duty_facts(date.min, [], [], [])


class StaffBoard:
    def __init__(self, people: Iterable[_Person], zones: dict[str, ZoneInfo], facts: dict[tuple[str, date], DutyFacts]):
        self._people = {p.staff_id: p for p in people}
        self._by_estate: dict[str, list[_Person]] = {}
        for person in sorted(self._people.values(), key=lambda p: p.staff_id):
            self._by_estate.setdefault(person.estate_id, []).append(person)
        self._zones, self._facts = zones, facts

    def view(self, estate_id: str, at: datetime) -> EstateView:
        day = duty_date_at(at, self._zones.get(estate_id) or zone_named(None))
        facts = self._facts.get((estate_id, day)) or _NOBODY_ROSTERED
        return EstateView(self, estate_id, day, facts)

    def note(self, moves: Iterable[LoadMove]) -> None:
        for move in moves:
            person = self._people.get(move.staff_id)
            if person is None:
                continue  # someone of an estate this batch did not read: the projection still moves them
            person.open_load = max(person.open_load + move.delta, 0)
            if move.duty_date is not None:
                same = person.assigned_day == move.duty_date
                person.assigned_today = person.assigned_today + 1 if same else 1
                person.assigned_day = move.duty_date

    def people_of(self, estate_id: str) -> Sequence[_Person]:
        return self._by_estate.get(estate_id, ())


@dataclass(frozen=True, slots=True)
class EstateView:
    """`StaffOnDuty` for one estate at one instant: its duty day, who works then, the live loads."""

    board: StaffBoard
    estate_id: str
    duty_date: date
    facts: DutyFacts

    def _candidate(self, p: _Person) -> Candidate:
        return Candidate(
            staff_id=p.staff_id,
            role=p.role,
            department=p.department,
            door_visits=p.door_visits,
            active=p.active,
            working=self.facts.working(p.staff_id, p.role),
            open_load=p.open_load,
            assigned_today=p.assigned_today if p.assigned_day == self.duty_date else 0,
        )

    def candidates(self, role: StaffRole) -> Sequence[Candidate]:
        return [self._candidate(p) for p in self.board.people_of(self.estate_id) if p.role is role]

    def person(self, staff_id: str) -> Candidate | None:
        found = [p for p in self.board.people_of(self.estate_id) if p.staff_id == staff_id]
        return self._candidate(found[0]) if found else None


EMPTY_BOARD = StaffBoard([], {}, {})


async def load_board(conn: Connection, wanted: Iterable[tuple[str, str, datetime]]) -> StaffBoard:
    """The staff of every (group, estate) named, and the duty rosters of the days the instants fall on."""
    wanted = list(wanted)
    if not wanted:
        return EMPTY_BOARD
    estates = sorted({(g, e) for g, e, _at in wanted})
    rows = await staff.lock_estate_staff(conn, estates)
    if not rows:
        return EMPTY_BOARD  # nobody to place with: every decision will say why
    zones = {r["estate_id"]: zone_named(r["timezone"]) for r in rows}
    people = [
        _Person(
            r["staff_id"],
            r["estate_id"],
            StaffRole(r["role"]),
            r["department"],
            r["door_visits"],
            r["active"],
            r["open_load"],
            r["assigned_day"],
            r["assigned_today"],
        )
        for r in rows
    ]
    staffed = set(zones)
    days = sorted({(g, e, duty_date_at(at, zones[e])) for g, e, at in wanted if e in staffed})
    return StaffBoard(people, zones, await rosters.duty_facts_for(conn, days))
