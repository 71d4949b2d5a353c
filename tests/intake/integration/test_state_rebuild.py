"""Issue 17 §2, §3, §8: the records table is a fold of the records' streams — every change carries the
fields it set, so emptied and rebuilt from the event store alone the table is the same, row for row, and
the API answers the same; a deployment's records from before get one `imported` change each."""

from __future__ import annotations

from pathlib import Path

import pytest
from huifang_infra.db import connect
from huifang_infra.eventstore import EventStore
from huifang_infra.migrations import infra_migrations, migrate, service_migrations
from huifang_infra.state_rebuild import rebuild_state
from huifang_intake.bootstrap import state_parts
from huifang_intake.config import IntakeSettings

from tests.intake.integration.support import ADMIN, DESK_A, closed_order, complaint, running_intake
from tests.support.old_schema import migrations_before
from tests.support.row_hashes import table_hash

pytestmark = pytest.mark.integration

TABLE, ORDER = "records", "group_id, record_type, record_id"


async def _rebuilt(database_url: str) -> tuple[tuple[int, str], tuple[int, str], int]:
    conn = await connect(database_url)
    try:
        before = await table_hash(conn, TABLE, ORDER)
        folded = await rebuild_state(conn, state_parts(IntakeSettings(database_url=database_url)))
        return before, await table_hash(conn, TABLE, ORDER), folded.events
    finally:
        await conn.close()


async def test_rebuilding_the_records_from_their_streams_gives_the_same_rows_and_answers(
    database_url: str, kafka_bootstrap: str, unique: str
) -> None:
    async with running_intake(database_url, kafka_bootstrap, unique) as svc:
        c = svc.client
        order = {"estate_id": "E1", "order_id": "WO-1", "category": "给排水", "requester_phone": "138-0013-8000",
                 "emergency": True, "requested_at": "2026-03-02T09:05:00+08:00"}  # fmt: skip
        assert (await c.post("/orders", headers=DESK_A, json=order)).status_code == 201
        steps = [
            ("dispatch", {"department": "engineering", "dispatched_at": "2026-03-02T09:20:00+08:00"}),
            ("complete", {"worker_id": "stf-wang", "fee_cents": 3000, "completed_at": "2026-03-02T11:00:00+08:00",
                          "materials": [{"name": "水龙头", "quantity": 1, "source": "owner", "verified": True}]}),
            ("sign-off", {"signed_off_at": "2026-03-02T11:05:00+08:00"}),
        ]  # fmt: skip
        for step, body in steps:
            assert (await c.post(f"/orders/WO-1/{step}", headers=DESK_A, json=body)).status_code == 200
        assert (await c.post("/orders/closed", headers=DESK_A, json=closed_order(order_id="WO-2"))).status_code == 201
        assert (await c.post("/complaints", headers=DESK_A, json=complaint(complaint_id="CP-1"))).status_code == 201
        note = {"note": "已联系业主", "at": "2026-03-03T09:00:00+08:00"}
        assert (await c.post("/complaints/CP-1/follow-ups", headers=DESK_A, json=note)).status_code == 200
        answers = [(await c.get(path, headers=ADMIN)).json() for path in ("/orders/WO-1", "/complaints/CP-1")]
        listed = (await c.get("/orders", headers=ADMIN)).json()
        before, after, events = await _rebuilt(database_url)
        answers_after = [(await c.get(path, headers=ADMIN)).json() for path in ("/orders/WO-1", "/complaints/CP-1")]
        listed_after = (await c.get("/orders", headers=ADMIN)).json()
        # The rebuilt table serves the next command as the written one did.
        close = {"closed_at": "2026-03-02T11:10:00+08:00"}
        closed = await c.post("/orders/WO-1/close", headers=DESK_A, json=close)
    assert before[0] == 3 and events == 7  # WO-1: created … signed off; WO-2: closed; CP-1: registered, followed up
    assert after == before
    assert (answers_after, listed_after) == (answers, listed)
    assert (closed.status_code, closed.json()["status"]) == (200, "closed")


async def test_records_of_before_get_an_imported_change_and_rebuild_to_the_same_rows(
    database_url: str, kafka_bootstrap: str, unique: str, tmp_path: Path
) -> None:
    # A deployment as it stood: the first two migrations, its changes without the fields they set.
    conn = await connect(database_url)
    try:
        await migrate(conn, [infra_migrations(), migrations_before("intake", 3, tmp_path)])
        state = {"group_id": "G1", "estate_id": "E1", "erp_id": None, "order_id": "WO-9", "status": "dispatched",
                 "request_kind": "repair", "channel": "walk_in", "category": "给排水", "subcategory": None,
                 "unit_id": None, "requester_name": None, "requester_phone": None, "description": None,
                 "emergency": False, "major": False, "department": "engineering", "worker_id": None,
                 "materials": [], "fee_cents": None, "signed_off": False,
                 "requested_at": "2026-03-02T01:05:00Z", "dispatched_at": "2026-03-02T01:20:00Z",
                 "completed_at": None, "signed_off_at": None, "closed_at": None}  # fmt: skip
        await conn.execute(
            """INSERT INTO records (group_id, estate_id, record_type, record_id, status, kind, channel, category,
                                    opened_at, version, state)
               VALUES ('G1', 'E1', 'order', 'WO-9', 'dispatched', 'repair', 'walk_in', '给排水',
                       '2026-03-02T01:05:00Z', 2, $1::jsonb)""",
            state,
        )
        thin = [("order.created", {"name": "created", "at": "2026-03-02T01:05:00Z", "data": {"channel": "walk_in"}}),
                ("order.dispatched", {"name": "dispatched", "at": "2026-03-02T01:20:00Z",
                                      "data": {"department": "engineering", "late": False}})]  # fmt: skip
        for version, (event_type, data) in enumerate(thin, start=1):
            await conn.execute(
                """INSERT INTO events (stream_id, stream_version, event_id, event_type, group_id, estate_id, data)
                   VALUES ('intake-order-G1-WO-9', $1, gen_random_uuid(), $2, 'G1', 'E1', $3::jsonb)""",
                version,
                event_type,
                data,
            )
        await migrate(conn, [infra_migrations(), service_migrations("intake")])  # the upgrade
        stream = await EventStore().load(conn, "intake-order-G1-WO-9")
        version = await conn.fetchval("SELECT version FROM records WHERE record_id = 'WO-9'")
    finally:
        await conn.close()
    before, after, _ = await _rebuilt(database_url)
    assert [e.event_type for e in stream] == ["order.created", "order.dispatched", "order.imported"]
    assert version == 3 and after == before
