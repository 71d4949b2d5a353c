"""Issue 6 §3: which rule an event falls under, and the callback it owes (a pure decision).

The first rule whose trigger matches decides (R-CB-1: an invalid complaint matches no preset rule, so
it gets no callback). Monthly-sample rules schedule nothing per event: the order joins the month's
population instead (R-CB-4). A percentage rule (R-CB-5) picks reproducibly by hashing the policy and
source ids, so a replay or a preview gives the same answer.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from huifang_contracts.enums import CallbackMethod, StaffRole

from huifang_callback.domain.calendar import WorkingCalendar
from huifang_callback.domain.policy import PolicyInForce, Rule, Trigger
from huifang_callback.domain.sources import Source
from huifang_callback.domain.windows import DueWindow, event_window


def matches(trigger: Trigger, source: Source) -> bool:
    if trigger.event_type != source.event_type:
        return False
    if trigger.kinds and source.kind not in trigger.kinds:
        return False
    if trigger.categories and source.category not in trigger.categories:
        return False
    if trigger.grades and source.grade not in trigger.grades:
        return False
    if trigger.validities and source.validity not in trigger.validities:
        return False
    if trigger.urgent is not None and trigger.urgent != source.urgent:
        return False
    return trigger.special_event is None or trigger.special_event == source.special_event


def rule_for(policy: PolicyInForce, source: Source) -> Rule | None:
    return next((rule for rule in policy.body.rules if matches(rule.trigger, source)), None)


def picked_by_percent(policy_id: str, source_id: str, percent: int) -> bool:
    """R-CB-5: a stable draw per source: the first 8 hex digits of sha256, modulo 10,000, as basis points."""
    digest = hashlib.sha256(f"{policy_id}:{source_id}".encode()).hexdigest()
    return int(digest[:8], 16) % 10_000 < percent * 100


def caller_for(rule: Rule, source: Source) -> tuple[StaffRole, CallbackMethod, bool]:
    """R-CB-3: the grade decides who calls, how, and whether an apology is owed."""
    if source.grade is None:
        return rule.caller_role, rule.method, False
    role = rule.caller_by_grade.get(source.grade, rule.caller_role)
    method = rule.method_by_grade.get(source.grade, rule.method)
    return role, method, source.grade in rule.apology_grades


@dataclass(frozen=True)
class Plan:
    """What a rule decided for one source: a callback (window set) or the month's sample, or nothing."""

    rule: Rule | None
    window: DueWindow | None = None
    caller_role: StaffRole | None = None
    method: CallbackMethod | None = None
    apology: bool = False
    sampled_monthly: bool = False
    skipped_reason: str | None = None

    @property
    def schedules(self) -> bool:
        return self.window is not None


def plan_for(policy: PolicyInForce, source: Source, cal: WorkingCalendar) -> Plan:
    rule = rule_for(policy, source)
    if rule is None:
        return Plan(None, skipped_reason="no rule matches")
    if rule.rate.mode == "monthly_sample":
        return Plan(rule, sampled_monthly=True)
    if rule.rate.mode == "percent" and not picked_by_percent(
        policy.policy_id, source.source_id, rule.rate.percent or 0
    ):
        return Plan(rule, skipped_reason=f"not in the {rule.rate.percent} % drawn")
    role, method, apology = caller_for(rule, source)
    return Plan(rule, event_window(source.occurred_at, rule.window, cal), role, method, apology)


def escalation_after(path: list[StaffRole], role: StaffRole) -> StaffRole | None:
    """The next role up the rule's path; from a role outside it, the path's first; None at the top."""
    if role in path:
        index = path.index(role) + 1
        return path[index] if index < len(path) else None
    return path[0] if path else None
