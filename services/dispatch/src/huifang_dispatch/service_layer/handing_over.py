"""R-OP-3: shift handover — the outgoing person signs on creating it, the incoming one on taking over.

Every request is a command on its service center's handover book (`domain/handover_book.py`), run in
its own transaction by the repository and re-run on a fresh load when another request moved the book
meanwhile (then 409). Ids and the time come from here; the rules from the book.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime

from huifang_infra.auth import Principal
from huifang_infra.db import Pool
from huifang_infra.decider import Decider
from huifang_infra.event_codec import EventCodec
from huifang_infra.repository import Cause, Repository, Snapshotting

from huifang_dispatch.adapters import handovers, staff
from huifang_dispatch.adapters.estates import estate_zone
from huifang_dispatch.domain import handover_book as hb
from huifang_dispatch.domain.duty import duty_date_at
from huifang_dispatch.domain.events import HANDOVER_EVENTS, BookKey, HandoverEvent
from huifang_dispatch.entrypoints.schemas import HandoverIn, ItemActionIn, ItemIn
from huifang_dispatch.service_layer.scope import check_estate, check_row

HandoverRepository = Repository[hb.HandoverCommand, hb.HandoverBook, HandoverEvent]
Clock = Callable[[], datetime]

CODEC: EventCodec[HandoverEvent] = EventCodec(HANDOVER_EVENTS)
#: A book lives for years; its state is small (what is still open), so a snapshot now and then bounds a load.
SNAPSHOTS = Snapshotting(hb.HandoverBook, kind="handover-book-v1", every=50)


def repository() -> HandoverRepository:
    decider = Decider(hb.initial_state, hb.decide, hb.evolve)
    return Repository(decider, CODEC, project=handovers.project_books, snapshots=SNAPSHOTS)


def _new_item(item: ItemIn) -> hb.NewItem:
    return hb.NewItem(f"itm-{uuid.uuid4().hex[:12]}", item.title, item.detail, item.important)


class Handovers:
    """Built once at the composition root."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.books = repository()

    async def _run(self, pool: Pool, principal: Principal, book: BookKey, command: hb.HandoverCommand) -> None:
        cause = Cause(group_id=book.group_id, estate_id=book.estate_id, actor=principal.sub)
        await self.books.run(pool, hb.stream_id(book), command, cause)

    async def add_item(self, pool: Pool, principal: Principal, estate_id: str, center: str, item: ItemIn) -> str:
        """Open an item during the shift; it stays on every handover until closed."""
        check_estate(principal, estate_id)
        book = BookKey(principal.group_id, estate_id, center)
        new = _new_item(item)
        await self._run(pool, principal, book, hb.OpenHandoverItem(book, new, principal.sub, self.clock()))
        return new.item_id

    async def hand_over(self, pool: Pool, principal: Principal, body: HandoverIn) -> str:
        """The caller hands over (and signs); refused while an important item is open and not escalated."""
        check_estate(principal, body.estate_id)
        async with pool.acquire() as conn:
            incoming = await staff.get_staff(conn, body.incoming_id)
            tz = await estate_zone(conn, body.estate_id)
        known = incoming is not None and (incoming["group_id"], incoming["estate_id"]) == (
            principal.group_id,
            body.estate_id,
        )
        now = self.clock()
        book = BookKey(principal.group_id, body.estate_id, body.service_center)
        handover_id = f"hov-{uuid.uuid4().hex[:12]}"
        command = hb.HandOver(
            book=book,
            handover_id=handover_id,
            outgoing_id=principal.sub,
            incoming_id=body.incoming_id,
            incoming_is_staff=known,
            duty_date=duty_date_at(now, tz),
            notes=body.notes,
            at=now,
            new_items=tuple(_new_item(item) for item in body.new_items),
        )
        await self._run(pool, principal, book, command)
        return handover_id

    async def take_over(self, pool: Pool, principal: Principal, handover_id: str) -> None:
        """The incoming person signs; the important-item rule is checked again at that moment."""
        async with pool.acquire() as conn:
            row = check_row(principal, await handovers.get_handover(conn, handover_id), "handover")
        book = BookKey(row["group_id"], row["estate_id"], row["service_center"])
        await self._run(pool, principal, book, hb.TakeOver(handover_id, principal.sub, self.clock()))

    async def act_on_item(
        self, pool: Pool, principal: Principal, item_id: str, action: str, body: ItemActionIn
    ) -> None:
        async with pool.acquire() as conn:
            row = check_row(principal, await handovers.get_item(conn, item_id), "item")
        book = BookKey(row["group_id"], row["estate_id"], row["service_center"])
        now = self.clock()
        command: hb.HandoverCommand
        if action == "close":
            command = hb.CloseItem(item_id, principal.sub, now, body.note)
        else:
            command = hb.EscalateItem(item_id, body.escalated_to, principal.sub, now, body.note)
        await self._run(pool, principal, book, command)
