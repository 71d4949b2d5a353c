"""R-OP-3: shift handover (交接班) — both sign, open items carry over, important ones block.

An item stays on every handover until someone closes it. An important item still open refuses
the handover: whoever hands over must close it or escalate it to a supervisor first.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from huifang_dispatch.domain.errors import Conflict, Forbidden, HandoverRefused

ItemStatus = Literal["open", "escalated", "closed"]


@dataclass(frozen=True, slots=True)
class OpenItem:
    item_id: str
    important: bool
    status: ItemStatus


def carried_over(items: Iterable[OpenItem]) -> list[OpenItem]:
    """What the next shift inherits: everything not closed."""
    return [item for item in items if item.status != "closed"]


def check_can_hand_over(items: Iterable[OpenItem]) -> None:
    """Refuse while an important item is open and not escalated."""
    blocking = sorted(i.item_id for i in items if i.important and i.status == "open")
    if blocking:
        raise HandoverRefused(blocking)


def check_incoming_signature(status: str, incoming_id: str, signer: str) -> None:
    """Only the named incoming person signs, and only once."""
    if signer != incoming_id:
        raise Forbidden("only the incoming person signs the handover")
    if status != "awaiting_incoming":
        raise Conflict("the handover is already signed by both")


def check_item_transition(status: ItemStatus, target: ItemStatus) -> None:
    if status == "closed":
        raise Conflict("the item is already closed")
    if status == target:
        raise Conflict(f"the item is already {target}")
