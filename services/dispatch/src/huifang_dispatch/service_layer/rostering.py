"""R-OP-3: making and publishing monthly rosters, leave and swaps with a supervisor's approval.

Each request is a command on its month's roster stream (`domain/roster_month.py`), run in its own
transaction by the repository and re-run on a fresh load when another request moved it meanwhile
(then 409). Who is a staff member of the estate is the directory's to say, checked here first.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, datetime

from huifang_infra.auth import Principal
from huifang_infra.db import Connection, Pool
from huifang_infra.decider import Decider
from huifang_infra.event_codec import EventCodec
from huifang_infra.repository import Cause, Repository

from huifang_dispatch.adapters import rosters, staff
from huifang_dispatch.adapters.estates import estate_zone
from huifang_dispatch.domain import roster_month as rm
from huifang_dispatch.domain.duty import duty_date_at, duty_window
from huifang_dispatch.domain.errors import Forbidden, InputInvalid
from huifang_dispatch.domain.events import ROSTER_EVENTS, RosterChangeRequested, RosterDrafted, RosterEvent, Shift
from huifang_dispatch.entrypoints.schemas import RosterChangeIn, RosterIn
from huifang_dispatch.service_layer.roles import SUPERVISORS
from huifang_dispatch.service_layer.scope import check_estate, check_row

RosterRepository = Repository[rm.RosterCommand, rm.RosterMonth, RosterEvent]
Clock = Callable[[], datetime]

CODEC: EventCodec[RosterEvent] = EventCodec(ROSTER_EVENTS)


def repository() -> RosterRepository:
    return Repository(Decider(rm.initial_state, rm.decide, rm.evolve), CODEC, project=rosters.project_rosters)


async def _check_people(conn: Connection, principal: Principal, estate_id: str, people: set[str], field: str) -> None:
    for staff_id in sorted(people):
        row = await staff.get_staff(conn, staff_id)
        if row is None or row["group_id"] != principal.group_id or row["estate_id"] != estate_id:
            raise InputInvalid(field, f"{staff_id} is not a staff member of estate {estate_id}")
        if not row["active"]:
            raise InputInvalid(field, f"{staff_id} is inactive")


class Rosters:
    """Built once at the composition root."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.months = repository()

    async def _run(
        self, pool: Pool, principal: Principal, roster_id: str, estate_id: str, command: rm.RosterCommand
    ) -> None:
        cause = Cause(group_id=principal.group_id, estate_id=estate_id, actor=principal.sub)
        await self.months.run(pool, rm.stream_id(roster_id), command, cause)

    async def save_roster(self, pool: Pool, principal: Principal, body: RosterIn) -> str:
        """Create the month's draft, or replace the shifts of a draft not yet published."""
        check_estate(principal, body.estate_id)
        shifts = tuple(Shift(day, person) for day, people in body.shifts.items() for person in dict.fromkeys(people))
        async with pool.acquire() as conn:
            tz = await estate_zone(conn, body.estate_id)
            await _check_people(conn, principal, body.estate_id, {s.staff_id for s in shifts}, "shifts")
        roster_id = rm.roster_id_of(body.estate_id, body.service_center, body.month)
        drafted = RosterDrafted(
            roster_id, principal.group_id, body.estate_id, body.service_center, body.month, principal.sub, self.clock()
        )
        await self._run(pool, principal, roster_id, body.estate_id, rm.SaveRoster(drafted, shifts, tz))
        return roster_id

    async def publish(self, pool: Pool, principal: Principal, roster_id: str) -> None:
        async with pool.acquire() as conn:
            roster = check_row(principal, await rosters.get_roster(conn, roster_id), "roster")
            tz = await estate_zone(conn, roster["estate_id"])
        command = rm.Publish(principal.sub, self.clock(), tz)
        await self._run(pool, principal, roster_id, roster["estate_id"], command)

    async def request_change(self, pool: Pool, principal: Principal, body: RosterChangeIn) -> str:
        """Leave or a swap, asked by the person concerned or a supervisor; it counts once approved."""
        async with pool.acquire() as conn:
            roster = check_row(principal, await rosters.get_roster(conn, body.roster_id), "roster")
            if principal.sub != body.staff_id and principal.role not in SUPERVISORS:
                raise Forbidden("you may ask leave or a swap only for yourself")
            if body.kind == "swap" and (body.substitute_id is None or body.swap_date is None):
                raise InputInvalid("swap_date", "a swap names the other person and the day they give in return")
            people = {body.staff_id} | ({body.substitute_id} if body.substitute_id else set())
            await _check_people(conn, principal, roster["estate_id"], people, "substitute_id")
        change_id = f"chg-{uuid.uuid4().hex[:12]}"
        requested = RosterChangeRequested(
            change_id=change_id,
            kind=body.kind,
            duty_date=body.duty_date,
            staff_id=body.staff_id,
            requested_by=principal.sub,
            at=self.clock(),
            substitute_id=body.substitute_id,
            swap_date=body.swap_date,
            reason=body.reason,
        )
        command = rm.RequestChange(principal.group_id, requested)
        await self._run(pool, principal, body.roster_id, roster["estate_id"], command)
        return change_id

    async def decide_change(self, pool: Pool, principal: Principal, change_id: str, approve: bool) -> None:
        """R-OP-3: no swap or leave before a supervisor approves (未批准前，不允许私自调班)."""
        async with pool.acquire() as conn:
            change = check_row(principal, await rosters.get_change(conn, change_id), "roster change")
        command = rm.DecideChange(change_id, approve, principal.sub, self.clock())
        await self._run(pool, principal, change["roster_id"], change["estate_id"], command)


async def on_duty_at(
    conn: Connection, principal: Principal, estate_id: str, at: datetime
) -> tuple[date, datetime, datetime, list[str]]:
    """Who is on the 24-h roster at `at` (07:00 still belongs to the previous day's duty)."""
    check_estate(principal, estate_id)
    tz = await estate_zone(conn, estate_id)
    day = duty_date_at(at, tz)
    facts = await rosters.duty_facts_on(conn, principal.group_id, estate_id, day)
    start, end = duty_window(day, tz)
    return day, start, end, sorted(facts.on_duty)
