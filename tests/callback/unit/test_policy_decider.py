"""Issue 6 §1: a policy's versions as a decider, given / when / then — one policy per scope, every change a
new version, a stale `expected_version` or another group's policy refused."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from huifang_callback.domain.errors import PolicyNotFound, PolicyVersionConflict
from huifang_callback.domain.events import VersionAdopted
from huifang_callback.domain.policy import PolicyBody
from huifang_callback.domain.policy_versions import CreatePolicy, RevisePolicy
from huifang_callback.domain.presets import full, residential
from huifang_callback.service_layer.policies import POLICY_CODEC, POLICY_DECIDER

pytestmark = pytest.mark.unit

AT = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
FULL, RESIDENTIAL = PolicyBody.model_validate(full()), PolicyBody.model_validate(residential())
CREATE = CreatePolicy("pol-G1-E1", "G1", "E1", "兰亭苑策略", FULL, "admin", AT, ("E1",))
V1 = VersionAdopted("pol-G1-E1", 1, "G1", "E1", "兰亭苑策略", FULL, "admin", AT, ("E1",))


def revise(expected: int | None, group: str = "G1", name: str | None = None) -> RevisePolicy:
    return RevisePolicy("pol-G1-E1", group, expected, name, RESIDENTIAL, "qa", AT, ("E1",))


def test_given_no_policy_when_created_then_version_1_governing_its_estate() -> None:
    assert POLICY_DECIDER.given_when([], CREATE) == [V1]


def test_given_a_policy_when_created_again_then_refused() -> None:
    with pytest.raises(PolicyVersionConflict):
        POLICY_DECIDER.given_when([V1], CREATE)


def test_given_version_1_when_revised_from_it_then_version_2_keeping_the_name() -> None:
    (v2,) = POLICY_DECIDER.given_when([V1], revise(expected=1))
    assert (v2.version, v2.name, v2.body, v2.changed_by) == (2, "兰亭苑策略", RESIDENTIAL, "qa")
    (v3,) = POLICY_DECIDER.given_when([V1, v2], revise(expected=None, name="新策略"))
    assert (v3.version, v3.name) == (3, "新策略")


def test_a_revision_from_a_stale_version_is_refused() -> None:
    (v2,) = POLICY_DECIDER.given_when([V1], revise(expected=1))
    with pytest.raises(PolicyVersionConflict):
        POLICY_DECIDER.given_when([V1, v2], revise(expected=1))


def test_a_missing_policy_or_another_groups_is_not_found() -> None:
    with pytest.raises(PolicyNotFound):
        POLICY_DECIDER.given_when([], revise(expected=None))
    with pytest.raises(PolicyNotFound):
        POLICY_DECIDER.given_when([V1], revise(expected=1, group="G2"))


def test_a_version_survives_the_store_round_trip() -> None:
    assert POLICY_CODEC.decode(V1.TYPE, POLICY_CODEC.encode(V1)) == V1
