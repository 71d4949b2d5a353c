"""The decider shape itself: folding and given / when / then, with no I/O (issue 17 §1)."""

from __future__ import annotations

import pytest
from huifang_infra.event_codec import EventCodec, UnknownEventType

from tests.infra.tally import Add, Added, Close, Closed, Reopen, TallyClosed, tally

pytestmark = pytest.mark.unit


def test_given_nothing_when_add_then_added() -> None:
    assert tally.given_when([], Add(3)) == [Added(3)]


def test_given_a_closed_tally_when_add_then_the_domain_refuses() -> None:
    with pytest.raises(TallyClosed):
        tally.given_when([Added(1), Closed("done")], Add(2))


def test_given_a_closed_tally_when_closed_again_then_nothing_happens() -> None:
    assert tally.given_when([Added(1), Closed("done")], Close("again")) == []


def test_fold_gives_the_state_of_the_history() -> None:
    state = tally.fold([Added(2), Added(5), Closed("done")])
    assert (state.total, state.closed) == (7, True)


def test_the_codec_round_trips_each_event_and_refuses_a_stranger() -> None:
    codec = EventCodec([Added, Closed])
    for event in (Added(4), Closed("月末")):
        assert codec.decode(codec.type_of(event), codec.encode(event)) == event
    with pytest.raises(UnknownEventType):
        codec.decode("tally.Vanished", {})
    with pytest.raises(UnknownEventType):
        codec.type_of(Reopen())


def test_two_classes_with_one_type_are_refused() -> None:
    with pytest.raises(TypeError):
        EventCodec([Added, Added])
