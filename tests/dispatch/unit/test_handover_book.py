"""The handover book of a service center as given / when / then, without I/O (R-OP-3; issue 17 §1)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from huifang_dispatch.domain import handover_book as hb
from huifang_dispatch.domain.errors import Conflict, Forbidden, HandoverRefused, InputInvalid
from huifang_dispatch.domain.events import (
    BookKey,
    CarriedItem,
    HandedOver,
    HandoverBookImported,
    HandoverEvent,
    HandoverItemClosed,
    HandoverItemEscalated,
    HandoverItemOpened,
    HandoverItemRow,
    HandoverRow,
    HandoverTakenOver,
)
from huifang_dispatch.domain.handover import OpenItem
from huifang_dispatch.service_layer.handing_over import CODEC, SNAPSHOTS
from huifang_infra.decider import Decider

pytestmark = pytest.mark.unit

T0 = datetime(2026, 3, 5, 2, 0, tzinfo=UTC)
DAY = date(2026, 3, 5)
BOOK = BookKey("G1", "E1", "main")
book: Decider[hb.HandoverCommand, hb.HandoverBook, HandoverEvent] = Decider(hb.initial_state, hb.decide, hb.evolve)


def opened(item_id: str, important: bool = False, in_handover: str | None = None) -> HandoverItemOpened:
    return HandoverItemOpened(BOOK, item_id, f"事项{item_id}", None, important, "li", T0, in_handover)


def hand_over(*new: hb.NewItem, incoming: str = "wang", known: bool = True) -> hb.HandOver:
    return hb.HandOver(BOOK, "h1", "li", incoming, known, DAY, None, T0, tuple(new))


def handed(*carried: CarriedItem) -> HandedOver:
    return HandedOver(BOOK, "h1", DAY, "li", "wang", None, T0, carried)


def test_given_open_items_when_handed_over_then_everything_not_closed_is_carried_with_the_new_ones_R_OP_3() -> None:
    given = [opened("i1"), opened("i2"), HandoverItemClosed("i2", "li", T0), opened("i3", important=True)]
    given.append(HandoverItemEscalated("i3", "zhang", "li", T0))
    events = book.given_when(given, hand_over(hb.NewItem("n1", "快递柜钥匙")))
    assert events == [
        handed(CarriedItem("i1", "open"), CarriedItem("i3", "escalated"), CarriedItem("n1", "open")),
        HandoverItemOpened(BOOK, "n1", "快递柜钥匙", None, False, "li", T0, "h1"),
    ]


def test_an_open_important_item_refuses_the_handover_new_ones_included_R_OP_3() -> None:
    with pytest.raises(HandoverRefused) as refused:
        book.given_when([opened("i1", important=True)], hand_over())
    assert refused.value.item_ids == ["i1"]
    with pytest.raises(HandoverRefused) as refused_new:
        book.given_when([], hand_over(hb.NewItem("n1", "消防报警", important=True)))
    assert refused_new.value.item_ids == ["new:0"]


def test_the_incoming_person_is_another_staff_member_of_the_estate() -> None:
    with pytest.raises(InputInvalid):
        book.given_when([], hand_over(known=False))
    with pytest.raises(InputInvalid):
        book.given_when([], hand_over(incoming="li"))


def test_only_the_incoming_person_takes_over_once_and_the_rule_is_checked_again() -> None:
    given: list[HandoverEvent] = [handed()]
    with pytest.raises(Forbidden):
        book.given_when(given, hb.TakeOver("h1", "zhao", T0))
    assert book.given_when(given, hb.TakeOver("h1", "wang", T0)) == [HandoverTakenOver("h1", "wang", T0)]
    with pytest.raises(Conflict):
        book.given_when([*given, HandoverTakenOver("h1", "wang", T0)], hb.TakeOver("h1", "wang", T0))
    # An important item opened meanwhile blocks the signature too.
    with pytest.raises(HandoverRefused):
        book.given_when([*given, opened("i9", important=True)], hb.TakeOver("h1", "wang", T0))


def test_an_item_closes_once_and_escalates_only_to_someone_while_open() -> None:
    given = [opened("i1", important=True)]
    assert book.given_when(given, hb.CloseItem("i1", "wang", T0, "已处理")) == [
        HandoverItemClosed("i1", "wang", T0, "已处理")
    ]
    with pytest.raises(InputInvalid):
        book.given_when(given, hb.EscalateItem("i1", None, "wang", T0))
    escalated = HandoverItemEscalated("i1", "zhang", "wang", T0)
    assert book.given_when(given, hb.EscalateItem("i1", "zhang", "wang", T0)) == [escalated]
    with pytest.raises(Conflict):
        book.given_when([*given, escalated], hb.EscalateItem("i1", "zhang", "wang", T0))
    closed = [*given, HandoverItemClosed("i1", "wang", T0)]
    with pytest.raises(Conflict):
        book.given_when(closed, hb.CloseItem("i1", "wang", T0))
    assert book.fold(closed).open_items == ()


def test_an_imported_book_keeps_its_open_items_in_order_and_its_signatures() -> None:
    imported = HandoverBookImported(
        BOOK,
        handovers=(HandoverRow("h0", DAY, "li", "wang", None, "awaiting_incoming", T0),),
        items=(
            HandoverItemRow("i1", "a", None, True, "escalated", "li", T0),
            HandoverItemRow("i2", "b", None, False, "closed", "li", T0),
            HandoverItemRow("i3", "c", None, False, "open", "li", T0),
        ),
        carried=(),
    )
    assert book.given_when([], hb.ImportBook(imported)) == [imported]
    state = book.fold([imported])
    assert state.open_items == (OpenItem("i1", True, "escalated"), OpenItem("i3", False, "open"))
    assert book.given_when([imported], hb.TakeOver("h0", "wang", T0)) == [HandoverTakenOver("h0", "wang", T0)]
    assert book.given_when([opened("x")], hb.ImportBook(imported)) == []


def test_events_and_the_snapshot_survive_the_store_round_trip() -> None:
    history: list[HandoverEvent] = [
        opened("i1"),
        handed(CarriedItem("i1", "open")),
        HandoverTakenOver("h1", "wang", T0),
    ]
    for event in history:
        assert CODEC.decode(CODEC.type_of(event), CODEC.encode(event)) == event
    adapter = SNAPSHOTS.adapter()
    state = book.fold(history)
    assert adapter.validate_python(adapter.dump_python(state, mode="json")) == state
