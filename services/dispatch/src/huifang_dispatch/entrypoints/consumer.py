"""The consumer's handler table: estates as a read model; every callback and survey event that moves
an assignment through one batch handler, so a batch of them is one `execute_many`."""

from __future__ import annotations

from typing import Any

from huifang_contracts.envelope import Envelope
from huifang_contracts.intake import EstateRegistered, EstateUpdated
from huifang_infra.consumed import BatchHandler, Handler
from huifang_infra.db import Connection

from huifang_dispatch.adapters.estates import upsert_estate
from huifang_dispatch.service_layer.assigning import CONSUMED, Assignments


async def on_estate(conn: Connection, event: EstateRegistered | EstateUpdated, envelope: Envelope[Any]) -> None:
    await upsert_estate(conn, envelope.group_id, envelope.estate_id, event.name, event.timezone)


def handlers() -> dict[str, Handler]:
    return {EstateRegistered.TYPE: on_estate, EstateUpdated.TYPE: on_estate}


def batch_handlers(assignments: Assignments) -> dict[str, BatchHandler]:
    async def assignment_batch(conn: Connection, items: list[tuple[Any, Envelope[Any]]]) -> None:
        await assignments.apply(conn, items)

    return dict.fromkeys(CONSUMED, assignment_batch)
