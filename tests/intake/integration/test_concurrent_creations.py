"""New records of concurrent requests are written together; each request still gets its own answer.

Front desks and ERP pushes arrive at once. Their new records share one statement and one commit
(the group commit), which must not let one request's refusal become its neighbours' (R-OP-1: nothing
already accepted is lost).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from tests.intake.integration.support import DESK_A, Running, closed_order, running_intake

pytestmark = pytest.mark.integration


@pytest.fixture
async def svc(database_url: str, kafka_bootstrap: str, unique: str) -> AsyncIterator[Running]:
    async with running_intake(database_url, kafka_bootstrap, unique) as running:
        yield running


async def test_concurrent_creations_each_get_their_own_answer(svc: Running) -> None:
    c = svc.client
    assert (await c.post("/orders/closed", headers=DESK_A, json=closed_order(order_id="WO-TAKEN"))).status_code == 201
    ids = [f"WO-C{i:02d}" for i in range(30)]
    ids[13] = "WO-TAKEN"  # refused: the id exists
    answers = await asyncio.gather(
        *(c.post("/orders/closed", headers=DESK_A | {"Idempotency-Key": f"c-{n}"}, json=closed_order(order_id=i))
          for n, i in enumerate(ids))
    )  # fmt: skip
    codes = [r.status_code for r in answers]
    assert codes[13] == 409 and codes[:13] + codes[14:] == [201] * 29
    assert [r.json()["order_id"] for n, r in enumerate(answers) if n != 13] == ids[:13] + ids[14:]

    group = svc.intake.new_records
    assert group is not None and group.batches < group.items, "some requests shared a statement"
    exposition = (await c.get("/metrics")).text  # what an operator sees of it
    assert f'group_commit_statements_total{{writes="new_records"}} {float(group.batches)}' in exposition
    assert f'group_commit_items_total{{writes="new_records"}} {float(group.items)}' in exposition
    events = await svc.published("intake.OrderClosed", 30)
    kinds = await svc.runtime.pool.fetch("SELECT DISTINCT jsonb_typeof(data), jsonb_typeof(metadata) FROM events")
    assert [tuple(k) for k in kinds] == [("object", "object")], "history rows hold JSON objects, not strings"
    assert sorted(e.aggregate_id for e in events) == sorted({*ids})
    # A refused request left no key behind: the same key with an acceptable body is a new command.
    retry = await c.post("/orders/closed", headers=DESK_A | {"Idempotency-Key": "c-13"}, json=closed_order())
    assert retry.status_code == 201
    # An accepted one replays.
    again = await c.post(
        "/orders/closed", headers=DESK_A | {"Idempotency-Key": "c-3"}, json=closed_order(order_id=ids[3])
    )
    assert (again.status_code, again.headers.get("Idempotent-Replayed")) == (201, "true")
