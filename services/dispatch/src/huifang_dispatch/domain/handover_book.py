"""R-OP-3: the handover book of one service center as a decider — items, handovers, both signatures.

One stream per service center, because its rule spans them all: no handover while an important item
is open and not escalated, and every handover inherits whatever is not closed. The state keeps what
the rules read — the items not closed, in the order they were opened, and each handover's incoming
person and status — so it stays small; the rows of everything else are in the projection.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime

from huifang_dispatch.domain.errors import InputInvalid, NotFound
from huifang_dispatch.domain.events import (
    BookKey,
    CarriedItem,
    HandedOver,
    HandoverBookImported,
    HandoverEvent,
    HandoverItemClosed,
    HandoverItemEscalated,
    HandoverItemOpened,
    HandoverTakenOver,
)
from huifang_dispatch.domain.handover import (
    ItemStatus,
    OpenItem,
    carried_over,
    check_can_hand_over,
    check_incoming_signature,
    check_item_transition,
)


def stream_id(book: BookKey) -> str:
    return f"handover-{book.group_id}:{book.estate_id}:{book.service_center}"


@dataclass(frozen=True, slots=True)
class SignedBy:
    incoming_id: str
    status: str


@dataclass(frozen=True, slots=True)
class HandoverBook:
    open_items: tuple[OpenItem, ...] = ()
    handovers: dict[str, SignedBy] = field(default_factory=dict)
    started: bool = False  # any event at all: an import is for a book never written

    def item(self, item_id: str) -> OpenItem | None:
        return next((i for i in self.open_items if i.item_id == item_id), None)


# -- commands -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewItem:
    item_id: str
    title: str
    detail: str | None = None
    important: bool = False


@dataclass(frozen=True)
class OpenHandoverItem:
    book: BookKey
    item: NewItem
    by: str
    at: datetime


@dataclass(frozen=True)
class HandOver:
    book: BookKey
    handover_id: str
    outgoing_id: str
    incoming_id: str
    incoming_is_staff: bool  # a staff member of this estate, as the directory says
    duty_date: date
    notes: str | None
    at: datetime
    new_items: tuple[NewItem, ...] = ()


@dataclass(frozen=True)
class TakeOver:
    handover_id: str
    by: str
    at: datetime


@dataclass(frozen=True)
class CloseItem:
    item_id: str
    by: str
    at: datetime
    note: str | None = None


@dataclass(frozen=True)
class EscalateItem:
    item_id: str
    to: str | None
    by: str
    at: datetime
    note: str | None = None


@dataclass(frozen=True)
class ImportBook:
    imported: HandoverBookImported


HandoverCommand = OpenHandoverItem | HandOver | TakeOver | CloseItem | EscalateItem | ImportBook


def initial_state() -> HandoverBook:
    return HandoverBook()


def _opened(book: BookKey, item: NewItem, by: str, at: datetime, handover_id: str | None = None) -> HandoverItemOpened:
    return HandoverItemOpened(book, item.item_id, item.title, item.detail, item.important, by, at, handover_id)


def decide(command: HandoverCommand, book: HandoverBook) -> list[HandoverEvent]:
    match command:
        case OpenHandoverItem(key, item, by, at):
            return [_opened(key, item, by, at)]
        case HandOver():
            return _hand_over(command, book)
        case TakeOver(handover_id, by, at):
            signed = book.handovers.get(handover_id)
            if signed is None:
                raise NotFound("handover not found")
            check_incoming_signature(signed.status, signed.incoming_id, by)
            check_can_hand_over(book.open_items)  # checked again at that moment
            return [HandoverTakenOver(handover_id, by, at)]
        case CloseItem(item_id, by, at, note):
            _check(book, item_id, "closed")
            return [HandoverItemClosed(item_id, by, at, note)]
        case EscalateItem(item_id, to, by, at, note):
            _check(book, item_id, "escalated")
            if not to:
                raise InputInvalid("escalated_to", "name the supervisor it goes to")
            return [HandoverItemEscalated(item_id, to, by, at, note)]
        case ImportBook(imported):
            return [] if book.started else [imported]
    raise TypeError(f"not a handover command: {command!r}")


def _check(book: HandoverBook, item_id: str, target: ItemStatus) -> None:
    item = book.item(item_id)
    check_item_transition(item.status if item else "closed", target)  # not open any more: closed


def _hand_over(command: HandOver, book: HandoverBook) -> list[HandoverEvent]:
    """The caller hands over (and signs); refused while an important item is open and not escalated."""
    if not command.incoming_is_staff:
        raise InputInvalid("incoming_id", "not a staff member of this estate")
    if command.incoming_id == command.outgoing_id:
        raise InputInvalid("incoming_id", "the incoming person is someone else")
    new = [OpenItem(f"new:{i}", item.important, "open") for i, item in enumerate(command.new_items)]
    check_can_hand_over([*book.open_items, *new])
    inherited = [*book.open_items, *(OpenItem(i.item_id, i.important, "open") for i in command.new_items)]
    carried = tuple(CarriedItem(i.item_id, i.status) for i in carried_over(inherited))
    handed = HandedOver(
        command.book,
        command.handover_id,
        command.duty_date,
        command.outgoing_id,
        command.incoming_id,
        command.notes,
        command.at,
        carried,
    )
    opened = [
        _opened(command.book, item, command.outgoing_id, command.at, command.handover_id) for item in command.new_items
    ]
    return [handed, *opened]


def evolve(book: HandoverBook, event: HandoverEvent) -> HandoverBook:
    if not book.started:
        book = replace(book, started=True)
    match event:
        case HandoverItemOpened():
            return replace(book, open_items=(*book.open_items, OpenItem(event.item_id, event.important, "open")))
        case HandedOver():
            handovers = dict(book.handovers)
            handovers[event.handover_id] = SignedBy(event.incoming_id, "awaiting_incoming")
            return replace(book, handovers=handovers)
        case HandoverTakenOver():
            handovers = dict(book.handovers)
            handovers[event.handover_id] = replace(handovers[event.handover_id], status="completed")
            return replace(book, handovers=handovers)
        case HandoverItemClosed():
            return replace(book, open_items=tuple(i for i in book.open_items if i.item_id != event.item_id))
        case HandoverItemEscalated():
            items = tuple(replace(i, status="escalated") if i.item_id == event.item_id else i for i in book.open_items)
            return replace(book, open_items=items)
        case HandoverBookImported():
            still_open = [i for i in event.items if i.status != "closed"]
            return HandoverBook(
                open_items=tuple(OpenItem(i.item_id, i.important, _status(i.status)) for i in still_open),
                handovers={h.handover_id: SignedBy(h.incoming_id, h.status) for h in event.handovers},
                started=True,
            )
    raise TypeError(f"not a handover event: {event!r}")


def _status(value: str) -> ItemStatus:
    return "escalated" if value == "escalated" else "open"
