"""R-CB-2, issue 18 §6: a deadline counted into 2027 — past the library's notices — uses the statutory
days and says it is provisional; loading 2027's notice counts it again (a DeadlineRevised on the stream)
and it is no longer provisional. A bad notice names its field."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from huifang_infra.auth import Role
from huifang_infra.clock import SettableClock
from huifang_infra.db import connect
from huifang_infra.eventstore import EventStore

from tests.callback.support import (
    GROUP,
    callback_app,
    estate_registered,
    feed,
    order_closed,
    published,
    rows_at_least,
)
from tests.support.backbone import wait_for
from tests.support.service import bearer, running_service

pytestmark = pytest.mark.integration

CLOSED = datetime(2026, 12, 30, 2, 0, tzinfo=UTC)  # Wed 30 Dec, 10:00 Beijing
MANAGER = bearer(Role.office_manager, GROUP, ["*"])
NOTICE_2027 = {
    # A notice as an operator would type it: New Year, a long Spring Festival, one adjusted Saturday.
    "holidays": ["2027-01-01", "2027-01-02", "2027-01-03", "2027-01-04"] + [f"2027-02-{d:02d}" for d in range(5, 12)],
    "workdays": ["2027-01-09"],
    "source": "国务院办公厅关于2027年部分节假日安排的通知",
}


async def test_r_cb_2_a_2027_deadline_is_provisional_until_the_notice_is_loaded(
    database_url: str, kafka_bootstrap: str, unique: str
) -> None:
    clock = SettableClock(CLOSED + timedelta(minutes=1))
    app = callback_app(database_url, kafka_bootstrap, unique, clock)
    runtime = app.state.runtime
    async with running_service(app) as client:
        await feed(runtime, kafka_bootstrap, [estate_registered("E1", "full")])  # repairs: 3 working days
        await wait_for(lambda: rows_at_least(database_url, "SELECT 1 FROM estates", 1), 60)
        before_2027 = (await client.get("/calendars/2027", headers=MANAGER)).json()
        await feed(runtime, kafka_bootstrap, [order_closed("WO-NY", CLOSED)])
        [row] = await wait_for(lambda: rows_at_least(database_url, "SELECT callback_id FROM callbacks", 1), 60)
        before = (await client.get(f"/callbacks/{row['callback_id']}", headers=MANAGER)).json()
        bad = await client.put("/calendars/2027", headers=MANAGER, json=NOTICE_2027 | {"workdays": ["2027-01-05"]})
        loaded = await client.put("/calendars/2027", headers=MANAGER, json=NOTICE_2027)
        again = await client.put("/calendars/2027", headers=MANAGER, json=NOTICE_2027)
        after = (await client.get(f"/callbacks/{row['callback_id']}", headers=MANAGER)).json()
        after_2027 = (await client.get("/calendars/2027", headers=MANAGER)).json()
        library_2026 = (await client.get("/calendars/2026", headers=MANAGER)).json()
    conn = await connect(database_url)
    try:
        stream = await EventStore().load(conn, f"callback-{row['callback_id']}")
    finally:
        await conn.close()
    # Before: statute only — Thu 31, [Fri 1 Jan rests], Mon 4, Tue 5 → due by Tue 5 January, provisional.
    assert (before_2027["source"], before_2027["provisional"]) == ("statutory", True)
    assert (before["deadline"]["local"], before["deadline_provisional"]) == ("2027-01-05 23:59:59", True)
    assert (bad.status_code, bad.json()["errors"][0]["field"]) == (422, "workdays")  # 5 Jan is a Tuesday
    assert (loaded.status_code, loaded.json()["revised_callbacks"]) == (200, 1)
    assert again.json()["revised_callbacks"] == 0  # the same notice again changes nothing
    # After: Thu 31, [1–4 Jan rest by the notice], Tue 5, Wed 6 → due by Wed 6 January, settled.
    assert (after["deadline"]["local"], after["deadline_provisional"]) == ("2027-01-06 23:59:59", False)
    assert [e.event_type for e in stream][-1] == "callback.DeadlineRevised"
    [announced] = await published(database_url, "callback.CallbackDeadlineRevised")  # for queues and reports
    assert (announced.payload["deadline"], announced.payload["provisional"]) == ("2027-01-06T15:59:59Z", False)
    assert (after_2027["source"], after_2027["provisional"], after_2027["workdays"]) == (
        "schedule",
        False,
        ["2027-01-09"],
    )
    assert library_2026["source"] == "library" and "2026-10-10" in library_2026["workdays"]  # National Day 调休
