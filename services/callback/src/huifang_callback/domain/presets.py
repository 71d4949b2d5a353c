"""The named presets (DOMAIN.md R-CB-4/5): the source procedures' values, a starting point to edit.

`residential` is seed 000 (天下城 / `tianxiacheng`), `commercial` seed 003, `full` seed 001 篇3.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from huifang_contracts.intake import ComplaintResolved, OrderClosed, RenovationCompleted, ServiceRequestClosed

from huifang_callback.domain.errors import PolicyInvalid
from huifang_callback.domain.policy import PolicyBody, PolicyInForce

_MANAGERS = ["department_head", "office_manager", "property_director"]

#: R-CB-4: n < 20 → min(n, 5); 20 ≤ n ≤ 50 → ceil(30 % · n); n > 50 → 20.
TIANXIACHENG_TIERS: list[dict[str, Any]] = [
    {"up_to": 19, "take": "at_most", "value": 5},
    {"up_to": 50, "take": "percent_ceil", "value": 30},
    {"take": "fixed", "value": 20},
]


def _urgent_repair() -> dict[str, Any]:
    # R-CB-7: emergency or major repairs are called back immediately after completion.
    return {
        "rule_id": "repair.urgent",
        "trigger": {"event_type": OrderClosed.TYPE, "urgent": True},
        "rate": {"mode": "all"},
        "window": {"deadline": {"amount": 1, "unit": "days"}},
        "caller_role": "site_captain",
        "escalation": _MANAGERS,
        "mandatory": True,
    }


def _complaint(validities: list[str], deadline_days: int, unit: str) -> dict[str, Any]:
    # R-CB-1 (valid and coordination: 100 %), R-CB-2 (timing), R-CB-3 (who calls, by grade).
    return {
        "rule_id": "complaint.resolved",
        "trigger": {"event_type": ComplaintResolved.TYPE, "validities": validities},
        "rate": {"mode": "all"},
        "window": {"deadline": {"amount": deadline_days, "unit": unit}},
        "method": "phone",
        "caller_role": "department_head",
        "caller_by_grade": {"major": "office_manager", "important": "department_head", "general": "department_head"},
        "method_by_grade": {"major": "door"},
        "apology_grades": ["major"],
        "reopen_cap": 3,
        "escalation": ["office_manager", "property_director"],
        "mandatory": True,
    }


def _special(event_type: str) -> dict[str, Any]:
    # R-CB-8: special (serious) events → manager door visit within 20 days.
    name = "complaint" if event_type.endswith("ComplaintResolved") else "request"
    return {
        "rule_id": f"{name}.special",
        "trigger": {"event_type": event_type, "special_event": True},
        "rate": {"mode": "all"},
        "window": {"deadline": {"amount": 20, "unit": "days"}},
        "method": "door",
        "caller_role": "office_manager",
        "apology_grades": ["major", "important", "general"],
        "escalation": ["property_director"],
        "mandatory": True,
    }


def _renovation() -> dict[str, Any]:
    # R-CB-6: renovation completed → door visit within 7 days.
    return {
        "rule_id": "renovation.completed",
        "trigger": {"event_type": RenovationCompleted.TYPE},
        "rate": {"mode": "all"},
        "window": {"deadline": {"amount": 7, "unit": "days"}},
        "method": "door",
        "caller_role": "service_center_staff",
        "escalation": _MANAGERS[1:],
    }


def _other_service() -> dict[str, Any]:
    # R-CB-8: other services → callback within 1 week.
    return {
        "rule_id": "request.closed",
        "trigger": {"event_type": ServiceRequestClosed.TYPE},
        "rate": {"mode": "all"},
        "window": {"deadline": {"amount": 7, "unit": "days"}},
        "caller_role": "service_center_staff",
        "escalation": _MANAGERS[1:],
    }


def residential() -> dict[str, Any]:
    """Seed 000: monthly sample of general repairs and cleaning on the 30th, door share ≥ half (R-CB-4)."""
    trigger: dict[str, Any] = {"event_type": OrderClosed.TYPE, "urgent": False}
    sample: dict[str, Any] = {
        "trigger": trigger,
        "rate": {"mode": "monthly_sample", "tiers": TIANXIACHENG_TIERS},
        "window": {"anchor": "month", "draw_day": 30, "draw_time": "09:00:00", "due_by_day": 5},
        "method": "phone",
        "door_share_percent": 50,
        "caller_role": "service_center_staff",
        "escalation": _MANAGERS[1:],
    }
    return {
        "preset": "residential",
        # R-SV-3, seed 000: the 回访记录表 rates on four levels (非常满意 / 满意 / 一般 / 不满意).
        "rating_scale": "four_level",
        "rules": [
            _urgent_repair(),
            {**sample, "rule_id": "repair.monthly-sample", "trigger": {**trigger, "kinds": ["repair"]}},
            {
                **sample,
                "rule_id": "service.monthly-sample",
                "trigger": {**trigger, "kinds": ["other_service"]},
            },
            _special(ComplaintResolved.TYPE),
            _complaint(["valid", "coordination"], 3, "working_days"),
            _renovation(),
            _special(ServiceRequestClosed.TYPE),
            _other_service(),
        ],
    }


def commercial() -> dict[str, Any]:
    """Seed 003: 20 % of repairs within a month (R-CB-5); complaints within 3 days of resolution (R-CB-2)."""
    repairs = {
        "rule_id": "repair.percent",
        "trigger": {"event_type": OrderClosed.TYPE, "urgent": False},
        "rate": {"mode": "percent", "percent": 20},
        "window": {"deadline": {"amount": 30, "unit": "days"}},
        "caller_role": "service_center_staff",
        "escalation": _MANAGERS[1:],
    }
    rules = [_urgent_repair(), repairs, _special(ComplaintResolved.TYPE), _complaint(["valid"], 3, "days")]
    return {
        "preset": "commercial",
        # R-SV-3, seed 003 §3.1.2: merchants rate on three levels (满意 / 一般满意 / 不满意).
        "rating_scale": "three_level",
        "rules": [*rules, _renovation(), _special(ServiceRequestClosed.TYPE), _other_service()],
    }


def full() -> dict[str, Any]:
    """Seed 001 篇3: every repair is called back (100 %), complaints valid and coordination."""
    repairs = {
        "rule_id": "repair.all",
        "trigger": {"event_type": OrderClosed.TYPE},
        "rate": {"mode": "all"},
        "window": {"deadline": {"amount": 3, "unit": "working_days"}},
        "caller_role": "site_captain",
        "escalation": _MANAGERS,
    }
    rules = [
        _urgent_repair(),
        repairs,
        _special(ComplaintResolved.TYPE),
        _complaint(["valid", "coordination"], 3, "working_days"),
    ]
    return {
        "preset": "full",
        # R-SV-3: seed 001 names no scale; its callbacks use the callback form's four levels.
        "rating_scale": "four_level",
        "rules": [*rules, _renovation(), _special(ServiceRequestClosed.TYPE), _other_service()],
    }


PRESETS = {"residential": residential, "commercial": commercial, "full": full}
#: Names the estate registry may carry for the same presets.
ALIASES = {"tianxiacheng": "residential", "000": "residential", "003": "commercial", "001": "full"}


def preset_name(name: str) -> str:
    return ALIASES.get(name, name)


def preset_body(name: str) -> PolicyBody:
    builder = PRESETS.get(preset_name(name))
    if builder is None:
        raise PolicyInvalid(f"unknown preset {name!r}; known: {', '.join(sorted(PRESETS))}", field="preset")
    return PolicyBody.model_validate(builder())


@lru_cache(maxsize=16)
def preset_policy(name: str) -> PolicyInForce:
    """An estate without a configured policy runs its preset as version 1 of `preset-<name>`."""
    canonical = preset_name(name) if preset_name(name) in PRESETS else "residential"
    return PolicyInForce(policy_id=f"preset-{canonical}", version=1, body=preset_body(canonical))
