"""An event caused by another joins its chain: correlation kept, causation = the cause's id (EVENT_FLOW.md)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest
from huifang_contracts.enums import EstateType
from huifang_contracts.envelope import Envelope
from huifang_contracts.intake import EstateRegistered

pytestmark = pytest.mark.unit

OCCURRED = datetime(2026, 3, 2, 8, 40, tzinfo=UTC)
CHAIN = UUID("11111111-1111-1111-1111-111111111111")
CAUSE_ID = UUID("22222222-2222-2222-2222-222222222222")
EFFECT_ID = UUID("33333333-3333-3333-3333-333333333333")


def estate() -> EstateRegistered:
    return EstateRegistered(name="南苑小区", estate_type=EstateType.RESIDENTIAL, preset="tianxiacheng")


def cause() -> Envelope:
    return Envelope.wrap(
        estate(), group_id="grp-1", estate_id="est-1", aggregate_id="est-1", producer="intake",
        occurred_at=OCCURRED, recorded_at=OCCURRED, correlation_id=CHAIN, event_id=CAUSE_ID,
    )  # fmt: skip


def test_an_effect_continues_the_chain_of_its_cause_in_the_same_estate() -> None:
    later = OCCURRED + timedelta(minutes=5)
    effect = Envelope.wrap_caused_by(
        estate(), cause(), aggregate_id="pol-1", producer="callback", occurred_at=later, recorded_at=later,
        event_id=EFFECT_ID,
    )  # fmt: skip
    assert effect.correlation_id == CHAIN
    assert effect.causation_id == CAUSE_ID
    assert (effect.group_id, effect.estate_id) == ("grp-1", "est-1")
    assert (effect.event_id, effect.aggregate_id, effect.producer) == (EFFECT_ID, "pol-1", "callback")
    assert effect.occurred_at == later and effect.recorded_at == later


def test_an_explicit_estate_wins_over_the_causes() -> None:
    effect = Envelope.wrap_caused_by(
        estate(), cause(), aggregate_id="est-2", producer="callback", occurred_at=OCCURRED, estate_id="est-2"
    )
    assert (effect.group_id, effect.estate_id) == ("grp-1", "est-2")
    assert effect.correlation_id == CHAIN


def test_without_a_cause_the_event_starts_its_own_chain() -> None:
    effect = Envelope.wrap_caused_by(
        estate(), None, aggregate_id="est-1", producer="intake", occurred_at=OCCURRED,
        group_id="grp-1", estate_id="est-1", event_id=EFFECT_ID,
    )  # fmt: skip
    assert effect.correlation_id == EFFECT_ID
    assert effect.causation_id is None


def test_without_a_cause_the_tenancy_must_be_given() -> None:
    with pytest.raises(ValueError, match="group_id and estate_id"):
        Envelope.wrap_caused_by(estate(), None, aggregate_id="est-1", producer="intake", occurred_at=OCCURRED)
