"""Which policy and calendar apply to an estate: its own policy, else its group's, else its preset."""

from __future__ import annotations

from dataclasses import dataclass

from huifang_infra.db import Connection

from huifang_callback.adapters.calendars import schedules_of
from huifang_callback.adapters.estates import Estate, all_estates, estates_by_id, get_estate
from huifang_callback.adapters.policies import PolicyVersion, all_latest, in_force_for, latest_for_groups
from huifang_callback.domain.calendar import WorkingCalendar, YearSchedule
from huifang_callback.domain.policy import PolicyInForce
from huifang_callback.domain.presets import preset_policy

DEFAULT_PRESET = "residential"


@dataclass(frozen=True)
class EstateRules:
    estate: Estate
    policy: PolicyInForce
    calendar: WorkingCalendar


class PolicyBook:
    """Looks each estate up once per batch or tick; create a new book for the next one."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, str], EstateRules] = {}

    async def preload(self, conn: Connection, keys: set[tuple[str, str]]) -> None:
        """Resolve many estates in two queries (a consumer batch touches hundreds)."""
        missing = keys - self._cache.keys()
        if not missing:
            return
        groups = sorted({group for group, _ in missing})
        estates = await estates_by_id(conn, sorted({estate for _, estate in missing}))
        latest = await latest_for_groups(conn, groups)
        schedules = await schedules_of(conn, groups)
        by_scope = {(p.group_id, p.estate_id): p for p in latest}
        for group_id, estate_id in missing:
            estate = estates.get(estate_id) or Estate(group_id, estate_id, estate_id, DEFAULT_PRESET)
            self._cache[(group_id, estate_id)] = _resolve(estate, by_scope, schedules.get(group_id, []))

    async def for_estate(self, conn: Connection, group_id: str, estate_id: str) -> EstateRules:
        key = (group_id, estate_id)
        if key not in self._cache:
            self._cache[key] = await rules_for(conn, group_id, estate_id)
        return self._cache[key]


async def rules_for(conn: Connection, group_id: str, estate_id: str) -> EstateRules:
    estate = await get_estate(conn, estate_id)
    if estate is None:
        # An order may arrive before its estate's registration: the defaults (Beijing time) apply.
        estate = Estate(group_id, estate_id, estate_id, DEFAULT_PRESET)
    configured = await in_force_for(conn, group_id, estate_id)
    policy = configured.in_force if configured else preset_policy(estate.preset)
    schedules = (await schedules_of(conn, [group_id])).get(group_id, [])
    return EstateRules(
        estate, policy, WorkingCalendar.for_estate(estate.timezone, policy.body.closures, schedules, estate.calendar)
    )


async def rules_for_all_estates(conn: Connection) -> list[EstateRules]:
    """Every registered estate's rules in two queries: estate policy > group policy > preset."""
    by_scope = {(p.group_id, p.estate_id): p for p in await all_latest(conn)}
    estates = await all_estates(conn)
    schedules = await schedules_of(conn, sorted({e.group_id for e in estates}))
    return [_resolve(estate, by_scope, schedules.get(estate.group_id, [])) for estate in estates]


def _resolve(
    estate: Estate, by_scope: dict[tuple[str, str | None], PolicyVersion], schedules: list[YearSchedule]
) -> EstateRules:
    """Estate policy > group policy > the estate's preset; the calendar adds the policy's closures and the
    group's loaded schedules (R-CB-2)."""
    configured = by_scope.get((estate.group_id, estate.estate_id)) or by_scope.get((estate.group_id, None))
    policy = configured.in_force if configured else preset_policy(estate.preset)
    calendar = WorkingCalendar.for_estate(estate.timezone, policy.body.closures, schedules, estate.calendar)
    return EstateRules(estate, policy, calendar)
