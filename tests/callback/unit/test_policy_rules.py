"""Issue 6 §1, §7, R-CB-10: policy validation names rule and field; reopen cap; contact fatigue."""

from __future__ import annotations

import pytest
from huifang_callback.domain.errors import PolicyInvalid
from huifang_callback.domain.fatigue import tired_units, without_tired
from huifang_callback.domain.policy import Fatigue
from huifang_callback.domain.presets import PRESETS, preset_body, residential
from huifang_callback.domain.reopen import reopening_after
from huifang_callback.domain.validation import parse_policy
from huifang_contracts.enums import StaffRole

pytestmark = pytest.mark.unit


def _with_rule(**changes: object) -> dict[str, object]:
    document = residential()
    rules = [dict(r) for r in document["rules"]]
    rules[1] = rules[1] | changes
    return document | {"rules": rules}


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_every_preset_is_a_valid_policy(name: str) -> None:
    assert preset_body(name).preset == name


def test_a_percent_rate_without_percent_names_the_rule_and_field() -> None:
    with pytest.raises(PolicyInvalid) as caught:
        parse_policy(_with_rule(rate={"mode": "percent"}))
    assert (caught.value.rule_id, caught.value.field) == ("repair.monthly-sample", "rate.percent")


def test_an_unknown_method_names_the_rule_and_field() -> None:
    with pytest.raises(PolicyInvalid) as caught:
        parse_policy(_with_rule(method="carrier_pigeon"))
    assert (caught.value.rule_id, caught.value.field) == ("repair.monthly-sample", "method")


def test_a_monthly_sample_needs_a_month_window_and_tiers() -> None:
    with pytest.raises(PolicyInvalid) as caught:
        parse_policy(_with_rule(window={"deadline": {"amount": 3, "unit": "days"}}))
    assert caught.value.rule_id == "repair.monthly-sample" and caught.value.field == "window.anchor"


def test_duplicate_rule_ids_are_refused() -> None:
    document = residential()
    with pytest.raises(PolicyInvalid, match="appears twice"):
        parse_policy(document | {"rules": [document["rules"][0], document["rules"][0]]})


def test_r_cb_10_reopen_until_the_cap_then_escalate_one_step_per_round() -> None:
    path = [StaffRole.OFFICE_MANAGER, StaffRole.PROPERTY_DIRECTOR]
    assert reopening_after(1, 2, path) == reopening_after(1, 2, path)
    assert (reopening_after(1, 2, path).next_round, reopening_after(1, 2, path).escalate_to_role) == (2, None)
    assert reopening_after(2, 2, path).escalate_to_role == StaffRole.OFFICE_MANAGER
    assert reopening_after(3, 2, path).escalate_to_role == StaffRole.PROPERTY_DIRECTOR
    assert (reopening_after(6, 2, path).next_round, reopening_after(6, 2, path).escalate_to_role) == (
        7,
        StaffRole.PROPERTY_DIRECTOR,
    )


def test_contact_fatigue_keeps_households_under_the_limit_and_common_areas() -> None:
    tired = tired_units({"U-1": 2, "U-2": 1}, Fatigue(max_contacts=2, days=90))
    assert tired == {"U-1"}
    assert without_tired([("WO-1", "U-1"), ("WO-2", "U-2"), ("WO-3", None)], tired) == ["WO-2", "WO-3"]
    assert tired_units({"U-1": 9}, None) == set()
