"""The rules a payload enforces itself, so no consumer has to re-check them."""

from __future__ import annotations

from datetime import datetime

import pytest
from huifang_contracts.callback import CallbackScheduled, SampleDrawn
from huifang_contracts.intake import ComplaintResolved, OrderClosed, ServiceRequestClosed
from huifang_contracts.reporting import CorrectiveActionRequired
from huifang_contracts.survey import CallbackCompleted, SurveyCampaignOpened, ThreeLevelRatings
from pydantic import ValidationError

from tests.contracts.support import example_payload

pytestmark = pytest.mark.unit

COMPLETED = "survey.CallbackCompleted.v1"


def test_r_sv_3_satisfied_or_fair_must_agree_with_the_overall_rating() -> None:
    ratings = {"scale": "four_level", "overall": "dissatisfied"}
    with pytest.raises(ValidationError, match="R-SV-3"):
        CallbackCompleted.model_validate(example_payload(COMPLETED, ratings=ratings, satisfied_or_fair=True))
    event = CallbackCompleted.model_validate(example_payload(COMPLETED, ratings=ratings, satisfied_or_fair=False))
    assert event.satisfied_or_fair is False


def test_r_sv_3_fairly_satisfied_on_the_three_level_scale_counts() -> None:
    ratings = {"scale": "three_level", "overall": "fairly_satisfied", "attitude": "satisfied"}
    event = CallbackCompleted.model_validate(example_payload(COMPLETED, ratings=ratings, satisfied_or_fair=True))
    assert isinstance(event.ratings, ThreeLevelRatings)
    assert event.ratings.overall.label_zh == "一般满意"


def test_ratings_stay_on_their_declared_scale() -> None:
    ratings = {"scale": "four_level", "overall": "fairly_satisfied"}
    with pytest.raises(ValidationError, match="overall"):
        CallbackCompleted.model_validate(example_payload(COMPLETED, ratings=ratings))


def test_r_cb_13_a_sample_is_drawn_from_its_recorded_population() -> None:
    payload = example_payload("callback.SampleDrawn.v1")
    with pytest.raises(ValidationError, match="drawn from population_ids"):
        SampleDrawn.model_validate({**payload, "chosen_ids": ["WO-1", "WO-99"]})
    with pytest.raises(ValidationError, match="door_count exceeds"):
        SampleDrawn.model_validate({**payload, "chosen_ids": ["WO-1"], "door_count": 2})
    assert SampleDrawn.model_validate(payload).door_count == 3


def test_a_callback_window_runs_forward() -> None:
    payload = example_payload("callback.CallbackScheduled.v1")
    with pytest.raises(ValidationError, match="window_start <= due_at <= deadline"):
        CallbackScheduled.model_validate({**payload, "due_at": "2026-03-20T00:00:00Z"})


def test_closed_orders_complaints_and_renovations_have_their_own_events() -> None:
    payload = example_payload("intake.ServiceRequestClosed.v1")
    with pytest.raises(ValidationError, match="close through their own event"):
        ServiceRequestClosed.model_validate({**payload, "request_kind": "repair"})


def test_r_sv_5_a_corrective_action_is_for_a_rate_below_target() -> None:
    payload = example_payload("reporting.CorrectiveActionRequired.v1")
    with pytest.raises(ValidationError, match="below target_percent"):
        CorrectiveActionRequired.model_validate({**payload, "actual_percent": 95.0, "target_percent": 95.0})


def test_r_sv_4_a_campaign_always_asks_the_overall_item() -> None:
    payload = example_payload("survey.SurveyCampaignOpened.v1")
    with pytest.raises(ValidationError, match="overall"):
        SurveyCampaignOpened.model_validate({**payload, "dimensions": ["cleaning"]})


def test_r_cb_10_a_resolution_round_starts_at_one() -> None:
    payload = example_payload("intake.ComplaintResolved.v1")
    with pytest.raises(ValidationError, match="round"):
        ComplaintResolved.model_validate({**payload, "round": 0})


def test_payload_datetimes_must_be_timezone_aware() -> None:
    payload = example_payload("intake.OrderClosed.v2")
    with pytest.raises(ValidationError, match="timezone"):
        OrderClosed.model_validate({**payload, "closed_at": datetime(2026, 3, 2, 16, 40)})


def test_phone_numbers_are_normalised_digits() -> None:
    payload = example_payload("intake.OrderClosed.v2")
    with pytest.raises(ValidationError, match="requester_phone"):
        OrderClosed.model_validate({**payload, "requester_phone": "138-0013-8000"})


def test_events_are_frozen_and_reject_unknown_fields() -> None:
    event = OrderClosed.model_validate(example_payload("intake.OrderClosed.v2"))
    with pytest.raises(ValidationError, match="frozen"):
        event.order_id = "other"  # type: ignore[misc]
    with pytest.raises(ValidationError, match="extra"):
        OrderClosed.model_validate(example_payload("intake.OrderClosed.v2", unexpected=1))


def test_optional_fields_default_to_none() -> None:
    payload = example_payload("intake.OrderClosed.v2")
    minimal = {key: payload[key] for key in ("order_id", "request_kind", "channel", "category", "department")}
    event = OrderClosed.model_validate({**minimal, "closed_at": payload["closed_at"], "signed_off": True})
    assert (event.erp_id, event.unit_id, event.fee_cents, event.requested_at) == (None, None, None, None)
    assert (event.emergency, event.major, event.materials) == (False, False, [])
