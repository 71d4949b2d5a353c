"""Survey's state tables rebuilt from its own event store alone give the same rows and answers (issue 17 §3).

A realistic run through the API — contacts unanswered, reached with a raised complaint, failed after the
policy's attempts; a campaign opened, ballots issued, questionnaires returned on paper and on a link,
closed (the unanswered link cut short) — then the tables drift (rows lost, counts edited by hand), and the
shared `rebuild_state` over `bootstrap.state_parts` (what `huifang rebuild state --service survey` runs)
empties them and folds every stream again through the projections the commands used.
"""

from __future__ import annotations

from typing import Any

import asyncpg
import httpx
import pytest
from huifang_infra import state_rebuild
from huifang_infra.auth import Role
from huifang_infra.eventstore import EventStore
from huifang_survey.bootstrap import bootstrap
from huifang_survey.config import SurveySettings
from huifang_survey.domain import callback_record as cr
from huifang_survey.domain.events import ComplaintRaised, ContactAttempted, RecordCompleted
from huifang_survey.entrypoints.api import create_app

from tests.support.backbone import wait_for
from tests.support.service import running_service, service_settings
from tests.survey.builders import ESTATE, NOW, assigned, estate, feed, scheduled, signed, staff
from tests.survey.state import rebuild, row_hashes

pytestmark = pytest.mark.integration

CALLED = NOW.isoformat()


def contact(result: str, **fields: Any) -> dict[str, Any]:
    return {"result": result, "method": "phone", "contacted_at": CALLED} | fields


async def answers(client: httpx.AsyncClient, headers: dict[str, str]) -> list[Any]:
    return [
        (await client.get("/callbacks", params={"status": status}, headers=headers)).json()
        for status in ("open", "completed", "failed")
    ] + [
        *[(await client.get(f"/callbacks/{cb}", headers=headers)).json() for cb in ("cb-1", "cb-2", "cb-3")],
        (await client.get("/campaigns", headers=headers)).json(),
    ]


async def test_rebuilding_from_the_streams_gives_the_same_rows_and_answers(
    database_url: str, kafka_bootstrap: str, unique: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(state_rebuild, "EVENTS_PER_PAGE", 3)  # small pages: a stream spans several
    settings = service_settings(SurveySettings, database_url, kafka_bootstrap, unique)
    survey = bootstrap(settings)
    survey.new_token = iter(["tok-a", "tok-b"]).__next__
    zhao = signed(settings, Role.service_center_staff, "stf-zhao")
    manager = signed(settings, Role.office_manager, "mgr-sun")
    async with running_service(create_app(survey=survey)) as client:
        setup = [estate(), staff("stf-zhao"), scheduled("cb-1"), scheduled("cb-2", max_attempts=2), scheduled("cb-3")]
        setup += [assigned(cb, "stf-zhao") for cb in ("cb-1", "cb-2", "cb-3")]
        await feed(survey.runtime, kafka_bootstrap, setup)

        async def assigned_all() -> bool:
            found = (await client.get("/callbacks", headers=zhao)).json()
            return sorted(c["callback_id"] for c in found if c["assignee_id"] == "stf-zhao") == ["cb-1", "cb-2", "cb-3"]

        assert await wait_for(assigned_all, timeout_s=60)
        for cb, body in [
            ("cb-1", contact("no_answer", note="无人接听")),
            ("cb-1", contact("reached", answered_by="李敏", relation="self", ratings={"overall": "satisfied"},
                             new_issues=[{"description": "楼道灯不亮", "category": "电气"}])),
            ("cb-2", contact("no_answer")),
            ("cb-2", contact("no_answer")),
            ("cb-3", contact("no_answer")),
        ]:  # fmt: skip
            r = await client.post(f"/callbacks/{cb}/contacts", json=body, headers=zhao)
            assert r.status_code == 201, r.text
        await _campaign(client, manager, zhao)
        before = await answers(client, zhao)
        assert [c["callback_id"] for c in before[1]] == ["cb-1"] and [c["callback_id"] for c in before[2]] == ["cb-2"]

        conn = await asyncpg.connect(database_url)
        try:
            stream = await EventStore().load(conn, cr.stream_id("cb-1"))
            assert [e.event_type for e in stream] == [
                ContactAttempted.TYPE,
                ContactAttempted.TYPE,
                RecordCompleted.TYPE,
                ComplaintRaised.TYPE,
            ]
            assert stream[0].metadata["actor"] == "stf-zhao"
            rows = await row_hashes(conn)
            assert [len(v) for v in rows.values()] == [3, 5, 1, 1, 1, 2, 2]

            await conn.execute("DELETE FROM questionnaires")
            await conn.execute("UPDATE campaigns SET returned_count = 0, status = 'open'")
            await conn.execute("DELETE FROM raised_issues")
            await conn.execute("UPDATE ballots SET used_at = NULL, expires_at = expires_at + interval '1 day'")
            await conn.execute("DELETE FROM callback_attempts WHERE callback_id = 'cb-2'")
            await conn.execute("UPDATE callbacks SET status = 'open', attempts_used = 0 WHERE callback_id = 'cb-2'")
            assert await row_hashes(conn) != rows
            read = await rebuild(conn)
            # cb-1, cb-2 (two attempts, the failure), cb-3, the campaign, its two links (issued; used or cut short)
            assert read == 4 + 3 + 1 + 5 + 2 + 2
            assert await row_hashes(conn) == rows
        finally:
            await conn.close()
        assert await answers(client, zhao) == before
        # the answered link stays used, the other stopped at the close: neither takes an answer after the rebuild
        form = {"r_cleaning": "satisfied", "r_overall": "satisfied"}
        assert [(await client.post(f"/s/{t}", data=form)).status_code for t in ("tok-a", "tok-b")] == [410, 410]
        assert (await client.get("/campaigns/cp-r", headers=zhao)).json()["returned_count"] == 2


async def _campaign(client: httpx.AsyncClient, manager: dict[str, str], clerk: dict[str, str]) -> None:
    body = {
        "campaign_id": "cp-r", "estate_ids": [ESTATE], "title": "2026年7月全面意见征询", "kind": "full",
        "channels": ["written", "online"], "dimensions": ["cleaning", "overall"], "opens_at": NOW.isoformat(),
        "issued_count": 1,
    }  # fmt: skip
    assert (await client.post("/campaigns", json=body, headers=manager)).status_code == 201
    units = {"unit_ids": ["T1-101", "T1-102"], "paper_count": 1}
    links = await client.post("/campaigns/cp-r/ballots", json=units, headers=clerk)
    assert links.status_code == 201 and links.json()["issued_count"] == 4
    paper = {"answers": {"cleaning": "一般满意", "overall": "满意"}, "comments": "保洁及时"}
    assert (await client.post("/campaigns/cp-r/questionnaires", json=paper, headers=clerk)).status_code == 201
    form = {"r_cleaning": "dissatisfied", "r_overall": "fairly_satisfied"}
    assert (await client.post("/s/tok-a", data=form)).status_code == 200
    closed = await client.post("/campaigns/cp-r/close", headers=manager)
    assert (closed.json()["status"], closed.json()["returned_count"]) == ("closed", 2)
