"""State tables are folds of dispatch's own streams: emptied and refilled from the event store alone,
they hold the same rows and the API answers the same (issue 17 §3)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from huifang_contracts.enums import CallbackMethod, StaffRole
from huifang_contracts.survey import CallbackAttempted
from huifang_dispatch.domain.duty import month_days
from huifang_dispatch.entrypoints.api import create_app
from huifang_dispatch.service_layer.rebuild import rebuild_state
from huifang_infra.auth import Role
from huifang_infra.db import Connection, transaction

from tests.dispatch.support import (
    GROUP,
    T0,
    FakeClock,
    completed,
    due,
    estate_registered,
    messages,
    overdue,
    scheduled,
    settings,
    wrap,
)
from tests.support.backbone import wait_for
from tests.support.kafka import produce
from tests.support.service import bearer, running_service

pytestmark = pytest.mark.integration

ADMIN = bearer(Role.office_manager, GROUP, ["E1"], sub="boss")

#: Every state table of a converted aggregate, with its key. Left out of the hash: `updated_at` (when a row
#: was written, not what it says) and `handover_items.seq` (the order items were opened in, numbered again in
#: the store's order on a rebuild: the order within a book, the only one any query uses, is the same).
TABLES = {
    "callbacks": "callback_id",
    "staff": "staff_id",
    "staff_loads": "staff_id",
    "handovers": "handover_id",
    "handover_items": "item_id",
    "handover_carried": "handover_id || '/' || item_id",
    "duty_log_entries": "entry_id",
    "rosters": "roster_id",
    "roster_shifts": "roster_id || '/' || duty_date || '/' || staff_id",
    "roster_changes": "change_id",
}


async def row_hashes(conn: Connection) -> dict[str, list[tuple[str, str]]]:
    """Per table, (key, md5 of the row without its write time) in key order."""
    found = {}
    for table, key in TABLES.items():
        rows = await conn.fetch(
            f"""SELECT {key} AS key, md5((to_jsonb(t) - 'updated_at' - 'created_at' - 'seq')::text) AS hash
                FROM {table} t ORDER BY 1"""
        )
        found[table] = [(r["key"], r["hash"]) for r in rows]
    return found


def staff_token(sub: str) -> dict[str, str]:
    return bearer(Role.service_center_staff, GROUP, ["E1"], sub=sub)


async def test_after_a_working_day_the_rebuilt_tables_and_api_answers_equal_the_live_ones(
    database_url: str, kafka_bootstrap: str, unique: str
) -> None:
    clock = FakeClock()
    app = create_app(settings(database_url, kafka_bootstrap, unique, unassigned_retry_seconds=3600), clock=clock)
    runtime, ctx = app.state.runtime, app.state.dispatch
    async with running_service(app) as client:
        for staff_id, role, door in [
            ("a", StaffRole.SERVICE_CENTER_STAFF, True),
            ("b", StaffRole.SERVICE_CENTER_STAFF, True),
            ("c", StaffRole.SERVICE_CENTER_STAFF, False),
            ("m1", StaffRole.OFFICE_MANAGER, False),
        ]:
            body = {"staff_id": staff_id, "estate_id": "E1", "name": staff_id, "role": role.value, "door_visits": door}
            assert (await client.post("/staff", json=body, headers=ADMIN)).status_code == 201
        plans = [
            scheduled("cb1", "E1", method=CallbackMethod.DOOR),
            scheduled("cb2", "E1"),
            scheduled("cb3", "E1"),
            scheduled("cb4", "E1", role=StaffRole.RECEPTIONIST),  # nobody in the role: waits unassigned
        ]
        events = [estate_registered("E1")]
        for plan in plans:
            events += [plan, due(plan, at=T0)]
        topic = runtime.catalogue.topic_for("callback.CallbackDue")
        await produce(kafka_bootstrap, topic, messages(*events))

        async def unassigned() -> bool:
            found = (await client.get("/estates/E1/unassigned", headers=ADMIN)).json()
            return (
                len(found) == 1
                and len((await client.get("/estates/E1/callbacks", headers=ADMIN)).json()["callbacks"]) == 3
            )

        await wait_for(unassigned, timeout_s=60)
        holder = (await client.get("/callbacks/cb1", headers=ADMIN)).json()["assignee_id"]
        assert (await client.post("/callbacks/cb1/accept", headers=staff_token(holder))).status_code == 204
        assert (await client.post("/callbacks/cb1/release", headers=staff_token(holder))).status_code == 200
        assert (
            await client.post("/callbacks/cb2/reassign", json={"assignee_id": "c"}, headers=ADMIN)
        ).status_code == 204
        # A receptionist joins: the retry places cb4; then cb3 falls overdue, cb2 is attempted, cb1 completed.
        body = {"staff_id": "r1", "estate_id": "E1", "name": "r1", "role": "receptionist"}
        assert (await client.post("/staff", json=body, headers=ADMIN)).status_code == 201
        clock.now = T0 + timedelta(hours=1)
        assert await ctx.assignments.retry_unassigned(runtime.pool, 10) == 1
        attempt = CallbackAttempted(
            callback_id="cb2", caller_id="c", attempt_no=1, attempted_at=T0 + timedelta(hours=2),
            method=CallbackMethod.PHONE, result="no_answer",
        )  # fmt: skip
        late = [
            overdue("cb3", "E1", T0 + timedelta(days=3)),
            wrap(attempt, "E1", "cb2", T0 + timedelta(hours=2), "survey"),
            completed("cb1", "E1", "b", T0 + timedelta(hours=3)),
        ]
        await produce(kafka_bootstrap, topic, messages(*late))

        async def settled() -> bool:
            cb1 = (await client.get("/callbacks/cb1", headers=ADMIN)).json()
            cb2 = (await client.get("/callbacks/cb2", headers=ADMIN)).json()
            cb3 = (await client.get("/callbacks/cb3", headers=ADMIN)).json()
            return cb1["status"] == "completed" and cb2["attempts_made"] == 1 and cb3["assignee_id"] == "m1"

        await wait_for(settled, timeout_s=60)
        await hand_over_twice(client)
        await keep_the_duty_log(client)
        await roster_april(client)
        answers = await api_answers(client)

        async with runtime.pool.acquire() as conn:
            live = await row_hashes(conn)
        async with transaction(runtime.pool) as conn:
            rebuilt_from = await rebuild_state(conn)
        async with runtime.pool.acquire() as conn:
            rebuilt = await row_hashes(conn)
            counts = await event_counts(conn)

        assert rebuilt == live
        assert rebuilt_from.events == sum(counts.values()) and rebuilt_from.streams == 4 + 1 + 2 + 1
        assert len(live["callbacks"]) == 4 and counts["assignment"] >= 14
        assert (len(live["handovers"]), len(live["handover_items"]), len(live["handover_carried"])) == (2, 3, 4)
        assert counts["handover"] == 8
        assert (len(live["duty_log_entries"]), counts["duty_log"]) == (3, 3)
        assert (len(live["rosters"]), len(live["roster_shifts"]), len(live["roster_changes"])) == (1, 30, 2)
        assert await api_answers(client) == answers
        loads = {s["staff_id"]: s["open_load"] for s in answers["staff"]}
        assert loads == {"a": 0, "b": 0, "c": 1, "m1": 1, "r1": 1}  # cb1 done; cb2 with c, cb3 with m1, cb4 with r1


async def event_counts(conn: Connection) -> dict[str, int]:
    """Stored events per aggregate, by the prefix of their streams."""
    rows = await conn.fetch("SELECT split_part(stream_id, '-', 1) AS kind, count(*) AS n FROM events GROUP BY 1")
    found = {r["kind"]: r["n"] for r in rows}
    return {"assignment": found.get("assignment", 0), "handover": found.get("handover", 0),
            "duty_log": found.get("duty", 0), "roster": found.get("roster", 0)}  # fmt: skip


async def hand_over_twice(client: Any) -> None:
    """R-OP-3: a and b hand over with two items; one closed, one escalated; b hands over to c."""
    first = await client.post(
        "/handovers",
        headers=staff_token("a"),
        json={"estate_id": "E1", "incoming_id": "b", "new_items": [{"title": "3栋电梯待修"}, {"title": "钥匙"}]},
    )
    assert first.status_code == 201, first.text
    handover_id, items = first.json()["handover_id"], [i["item_id"] for i in first.json()["carried"]]
    assert (await client.post(f"/handovers/{handover_id}/sign", headers=staff_token("b"))).status_code == 200
    assert (
        await client.post(f"/handover-items/{items[1]}/close", json={}, headers=staff_token("b"))
    ).status_code == 204
    urgent = await client.post(
        "/handover-items",
        params={"estate_id": "E1"},
        headers=staff_token("b"),
        json={"title": "噪音", "important": True},
    )
    escalate = {"escalated_to": "m1", "note": "报主管"}
    path = f"/handover-items/{urgent.json()['item_id']}/escalate"
    assert (await client.post(path, json=escalate, headers=staff_token("b"))).status_code == 204
    second = await client.post("/handovers", headers=staff_token("b"), json={"estate_id": "E1", "incoming_id": "c"})
    assert second.status_code == 201 and len(second.json()["carried"]) == 2


async def keep_the_duty_log(client: Any) -> None:
    """R-OP-3: an entry, its correction, the supervisor's sign-off of the day before."""
    first = await client.post("/duty-log", json={"estate_id": "E1", "body": "10:05 2栋漏水"}, headers=staff_token("a"))
    fix = {"estate_id": "E1", "body": "更正：是3栋漏水", "corrects_entry_id": first.json()["entry_id"]}
    assert (await client.post("/duty-log", json=fix, headers=staff_token("a"))).status_code == 201
    sign = {"estate_id": "E1", "duty_date": "2026-03-04"}
    assert (await client.post("/duty-log/sign-off", json=sign, headers=ADMIN)).status_code == 201


async def roster_april(client: Any) -> None:
    """R-OP-3: April's roster saved twice and published; a leave approved, a swap rejected."""
    shifts = {d.isoformat(): ["a" if d.day % 2 else "b"] for d in month_days("2026-04")}
    first = {"estate_id": "E1", "month": "2026-04", "shifts": {"2026-04-01": ["a"]}}
    assert (await client.put("/rosters", json=first, headers=ADMIN)).status_code == 200
    saved = await client.put("/rosters", json={"estate_id": "E1", "month": "2026-04", "shifts": shifts}, headers=ADMIN)
    roster_id = saved.json()["roster_id"]
    assert (await client.post(f"/rosters/{roster_id}/publish", headers=ADMIN)).status_code == 204
    leave = {"roster_id": roster_id, "kind": "leave", "duty_date": "2026-04-03", "staff_id": "a", "substitute_id": "c"}
    swap = {"roster_id": roster_id, "kind": "swap", "duty_date": "2026-04-05", "staff_id": "a", "substitute_id": "b",
            "swap_date": "2026-04-06"}  # fmt: skip
    for body, verb in ((leave, "approve"), (swap, "reject")):
        change = await client.post("/roster-changes", json=body, headers=ADMIN)
        assert change.status_code == 201, change.text
        path = f"/roster-changes/{change.json()['change_id']}/{verb}"
        assert (await client.post(path, headers=ADMIN)).status_code == 204


async def api_answers(client: Any) -> dict[str, Any]:
    found = {
        "rosters": (await client.get("/rosters", params={"estate_id": "E1"}, headers=ADMIN)).json(),
        "on_duty": (
            await client.get("/estates/E1/on-duty", params={"at": "2026-04-03T02:00:00Z"}, headers=ADMIN)
        ).json(),
        "duty_log": (await client.get("/duty-log", params={"estate_id": "E1"}, headers=ADMIN)).json(),
        "signed": (
            await client.get("/duty-log", params={"estate_id": "E1", "duty_date": "2026-03-04"}, headers=ADMIN)
        ).json(),
        "handovers": (await client.get("/handovers", params={"estate_id": "E1"}, headers=ADMIN)).json(),
        "open_items": (await client.get("/handover-items", params={"estate_id": "E1"}, headers=ADMIN)).json(),
        "staff": (await client.get("/staff", headers=ADMIN)).json(),
        "estate": (await client.get("/estates/E1/callbacks", headers=ADMIN)).json(),
        "unassigned": (await client.get("/estates/E1/unassigned", headers=ADMIN)).json(),
    }
    for callback_id in ("cb1", "cb2", "cb3", "cb4"):
        found[callback_id] = (await client.get(f"/callbacks/{callback_id}", headers=ADMIN)).json()
    return found
