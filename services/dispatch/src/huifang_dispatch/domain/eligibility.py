"""R-CB-3: who may take a due callback, and the least-loaded of them.

Filters run in a fixed order and the first one that leaves nobody names the reason the callback
waits unassigned, so a manager reads *why* (no one in the role, no one on duty, …) and not just "none".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from huifang_contracts.enums import CallbackMethod, RequestKind, StaffRole
from huifang_contracts.labels import LabelledEnum


class UnassignedReason(LabelledEnum):
    NO_STAFF_IN_ROLE = "no_staff_in_role", "本项目无该岗位人员"
    NONE_ACTIVE = "none_active", "该岗位人员均已停用"
    NONE_ON_DUTY = "none_on_duty", "该岗位当前无人在岗"
    ONLY_EXCLUDED = "only_excluded", "仅剩原处理人员或被投诉部门人员"
    NO_DEPARTMENT_HEAD = "no_department_head", "被投诉部门无在岗主管"
    NO_DOOR_VISITS = "no_door_visits", "无可上门回访人员"


@dataclass(frozen=True, slots=True)
class Candidate:
    """One staff member as assignment sees them at the moment of choosing."""

    staff_id: str
    role: StaffRole
    department: str | None
    door_visits: bool
    active: bool
    working: bool
    open_load: int
    assigned_today: int


@dataclass(frozen=True, slots=True)
class Requirement:
    """What the callback asks of its caller (from CallbackScheduled/CallbackDue)."""

    role: StaffRole
    method: CallbackMethod
    kind: RequestKind | None = None
    department: str | None = None
    worker_id: str | None = None
    excluded: frozenset[str] = field(default_factory=frozenset)


def department_rule(requirement: Requirement) -> str:
    """R-CB-3: a general complaint goes to the head *of the complained department*; any other caller
    of a complaint callback must be independent of that department. Repairs exclude only the worker."""
    if requirement.kind is not RequestKind.COMPLAINT or not requirement.department:
        return "ignore"
    return "require" if requirement.role is StaffRole.DEPARTMENT_HEAD else "exclude"


def choose_assignee(requirement: Requirement, staff: Iterable[Candidate]) -> Candidate | UnassignedReason:
    """The eligible person with the fewest open callbacks; ties → fewest today, then staff id."""
    pool = [c for c in staff if c.role is requirement.role]
    if not pool:
        return UnassignedReason.NO_STAFF_IN_ROLE
    pool = [c for c in pool if c.active]
    if not pool:
        return UnassignedReason.NONE_ACTIVE
    pool = [c for c in pool if c.working]
    if not pool:
        return UnassignedReason.NONE_ON_DUTY
    rule = department_rule(requirement)
    if rule == "require":
        pool = [c for c in pool if c.department == requirement.department]
        if not pool:
            return UnassignedReason.NO_DEPARTMENT_HEAD
    # The person who did the original job never rates it; nor whoever just gave it back.
    pool = [c for c in pool if c.staff_id != requirement.worker_id and c.staff_id not in requirement.excluded]
    if rule == "exclude":
        pool = [c for c in pool if c.department != requirement.department]
    if not pool:
        return UnassignedReason.ONLY_EXCLUDED
    if requirement.method is CallbackMethod.DOOR:
        pool = [c for c in pool if c.door_visits]
        if not pool:
            return UnassignedReason.NO_DOOR_VISITS
    return min(pool, key=lambda c: (c.open_load, c.assigned_today, c.staff_id))
