"""R-CB-3, R-SV-3: what every `CallbackScheduled` tells dispatch and survey beyond the window.

R-CB-3: the worker who did the job (dispatch keeps them off its callback). R-SV-3: the rating scale
the policy names — four levels on callback forms (seed 000 回访记录表), three on seed 003's merchant
callbacks (满意 / 一般满意 / 不满意).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from huifang_callback.domain.calendar import WorkingCalendar
from huifang_callback.domain.callback import Callback
from huifang_callback.domain.planning import plan_for
from huifang_callback.domain.policy import PolicyBody, PolicyInForce
from huifang_callback.domain.presets import full, preset_policy, residential
from huifang_callback.domain.sources import Source
from huifang_callback.service_layer import outgoing
from huifang_callback.service_layer.sources import source_of
from huifang_contracts.callback import CallbackScheduled
from huifang_contracts.enums import Channel, ComplaintGrade, ComplaintValidity, RequestKind, SatisfactionScale
from huifang_contracts.intake import OrderClosed
from huifang_contracts.registry import decode

from tests.callback.unit.sources import T, complaint, order
from tests.contracts.support import example

pytestmark = pytest.mark.unit

CN = WorkingCalendar()
CLOSED = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # Mon 10:00 Beijing


def scheduled_payload(policy: PolicyInForce, source: Source) -> dict[str, Any]:
    """Plan, owe and publish one callback, as the consumer does, and read back what goes on Kafka."""
    plan = plan_for(policy, source, CN)
    assert plan.rule is not None and plan.window and plan.method and plan.caller_role
    callback = Callback.owed(
        group_id="G1", estate_id="E1", source=source, rule=plan.rule, policy=policy, window=plan.window,
        method=plan.method, caller_role=plan.caller_role, apology=plan.apology,
    )  # fmt: skip
    envelope = outgoing.scheduled(callback.record(), at=T)
    event = decode(envelope)
    assert isinstance(event, CallbackScheduled)
    return event.model_dump(mode="json")


def test_r_cb_3_the_worker_of_a_closed_order_is_carried_to_the_callback() -> None:
    closed = OrderClosed(
        order_id="WO-7", request_kind=RequestKind.REPAIR, channel=Channel.HOTLINE, category="plumbing",
        department="engineering", worker_id="W-LI", closed_at=CLOSED, signed_off=True,
    )  # fmt: skip
    source = source_of(closed)
    assert source.worker_id == "W-LI"
    payload = scheduled_payload(preset_policy("full"), source)
    assert (payload["rule_id"], payload["worker_id"]) == ("repair.all", "W-LI")


def test_r_cb_3_a_complaint_names_no_worker() -> None:
    payload = scheduled_payload(preset_policy("full"), complaint(ComplaintGrade.GENERAL, ComplaintValidity.VALID))
    assert (payload["rule_id"], payload["worker_id"]) == ("complaint.resolved", None)


@pytest.mark.parametrize(
    ("preset", "scale"),
    [
        ("tianxiacheng", SatisfactionScale.FOUR_LEVEL),  # seed 000: the callback form's four levels
        ("residential", SatisfactionScale.FOUR_LEVEL),
        ("commercial", SatisfactionScale.THREE_LEVEL),  # seed 003 §3.1.2: a 满意 / b 一般满意 / c 不满意
        ("full", SatisfactionScale.FOUR_LEVEL),  # seed 001 names none: the callback form's
    ],
)
def test_r_sv_3_each_preset_names_its_scale_on_every_callback(preset: str, scale: SatisfactionScale) -> None:
    policy = preset_policy(preset)
    assert policy.body.rating_scale is scale
    assert {policy.body.rating_scale_for(rule) for rule in policy.body.rules} == {scale}
    urgent = scheduled_payload(policy, order(urgent=True))
    resolved = scheduled_payload(policy, complaint(ComplaintGrade.MAJOR, ComplaintValidity.VALID))
    assert (urgent["rating_scale"], resolved["rating_scale"]) == (scale.value, scale.value)


def test_r_sv_3_a_rule_may_name_its_own_scale_over_the_policy() -> None:
    document = full()
    for rule in document["rules"]:
        if rule["rule_id"] == "complaint.resolved":
            rule["rating_scale"] = "three_level"
    policy = PolicyInForce(policy_id="pol-G1-group", version=2, body=PolicyBody.model_validate(document))
    resolved = scheduled_payload(policy, complaint(ComplaintGrade.GENERAL, ComplaintValidity.VALID))
    repair = scheduled_payload(policy, order())
    assert (resolved["rating_scale"], repair["rating_scale"]) == ("three_level", "four_level")


def test_r_sv_3_a_policy_stored_before_scales_existed_reads_as_four_level() -> None:
    document = residential()
    del document["rating_scale"]  # a body saved by an earlier version of the service
    assert PolicyBody.model_validate(document).rating_scale is SatisfactionScale.FOUR_LEVEL


def test_a_scheduled_event_without_the_new_fields_still_decodes() -> None:
    event = decode(example("callback.CallbackScheduled.v1"))
    assert isinstance(event, CallbackScheduled)
    assert (event.worker_id, event.rating_scale) == (None, None)
