"""Upgrade without loss (issue 17 §8): campaigns opened before their streams became streams.

A database of the schema of before (survey's 0001) holds a campaign with two returned questionnaires as
that code wrote them; migration 0003 turns it into one `survey.CampaignImported` event carrying the row
and the questionnaires, which a rebuild reproduces and the next commands continue from (R-SV-4).
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import uuid4

import pytest
from huifang_infra.auth import Role
from huifang_infra.db import create_pool
from huifang_infra.eventstore import EventStore
from huifang_infra.migrations import MigrationSource, infra_migrations, migrate, service_migrations
from huifang_survey.bootstrap import bootstrap
from huifang_survey.config import SurveySettings
from huifang_survey.domain import survey_campaign as sc
from huifang_survey.domain.events import CampaignImported
from huifang_survey.entrypoints.api import create_app
from huifang_survey.service_layer.campaign_streams import campaign_codec

from tests.support.service import running_service, service_settings
from tests.survey.builders import ESTATE, GROUP, signed
from tests.survey.state import rebuild, row_hashes

pytestmark = pytest.mark.integration

OPENS = datetime.now(UTC).replace(microsecond=0) - timedelta(days=2)
OPENED_EVENT = uuid4()

_OLD_ROWS = """
INSERT INTO campaigns (campaign_id, group_id, estate_id, title, kind, channels, dimensions, opens_at, closes_at,
                       issued_count, returned_count, status, opened_event_id)
VALUES ('cp-old', $1, $2, '2026年意见征询', 'full', '{written,online}', '{cleaning,overall}', $3, NULL, 4, 2, 'open',
        $4);
INSERT INTO questionnaires (questionnaire_id, campaign_id, group_id, estate_id, unit_id, channel, answers, comments,
                            returned_at)
VALUES ('q-1', 'cp-old', $1, $2, NULL, 'written',
        '[{"dimension": "cleaning", "rating": "fairly_satisfied", "comment": null},
          {"dimension": "overall", "rating": "satisfied", "comment": "很好"}]', '保洁及时', $3 + interval '1 hour'),
       ('q-2', 'cp-old', $1, $2, 'T1-101', 'online',
        '[{"dimension": "overall", "rating": "dissatisfied", "comment": null}]', NULL, $3 + interval '2 hours');
"""


def _before_streams(tmp_path: Path) -> MigrationSource:
    folder = tmp_path / "survey-migrations"
    folder.mkdir()
    shutil.copy(service_migrations("survey").folder / "0001_survey.sql", folder / "0001_survey.sql")
    return MigrationSource("survey", folder)


async def test_a_campaign_of_an_existing_deployment_becomes_one_imported_event_and_stays_usable(
    database_url: str, kafka_bootstrap: str, unique: str, tmp_path: Path
) -> None:
    pool = await create_pool(database_url, min_size=1, max_size=2)
    try:
        await migrate(pool, [infra_migrations(), _before_streams(tmp_path)])
        async with pool.acquire() as conn:
            sql = _OLD_ROWS.replace("$1", f"'{GROUP}'").replace("$2", f"'{ESTATE}'").replace("$4", f"'{OPENED_EVENT}'")
            await conn.execute(sql.replace("$3", f"'{OPENS.isoformat()}'::timestamptz"))
            old = await row_hashes(conn, ("campaigns", "questionnaires"))

        applied = await migrate(pool, [infra_migrations(), service_migrations("survey")])
        assert "survey/0003_campaign_streams.sql" in applied

        async with pool.acquire() as conn:
            (stored,) = await EventStore().load(conn, sc.stream_id("cp-old"))
            imported = campaign_codec().decode(stored.event_type, stored.data)
            assert isinstance(imported, CampaignImported)
            state = imported.campaign
            assert state.opened is not None and state.opened.opened_event_id == OPENED_EVENT
            assert (state.issued_count, state.returned_count, state.status) == (4, 2, "open")
            assert [(q.questionnaire_id, q.unit_id, len(q.answers)) for q in imported.questionnaires] == [
                ("q-1", None, 2),
                ("q-2", "T1-101", 1),
            ]
            assert await rebuild(conn) == 1
            assert await row_hashes(conn, ("campaigns", "questionnaires")) == old
    finally:
        await pool.close()

    settings = service_settings(SurveySettings, database_url, kafka_bootstrap, unique)
    clerk = signed(settings, Role.service_center_staff, "stf-zhao")
    manager = signed(settings, Role.office_manager, "mgr-sun")
    async with running_service(create_app(survey=bootstrap(settings))) as client:
        third = {"answers": {"overall": "satisfied"}}
        r = await client.post("/campaigns/cp-old/questionnaires", json=third, headers=clerk)
        assert r.status_code == 201, r.text
        assert (r.json()["issued_count"], r.json()["returned_count"]) == (4, 3)
        closed = await client.post("/campaigns/cp-old/close", headers=manager)
        assert (closed.json()["status"], closed.json()["returned_count"]) == ("closed", 3)
        report = (await client.get("/campaigns/cp-old", headers=clerk)).json()
        assert report["items"]["overall"]["satisfaction_percent"] == 66.67  # 2 of 3 returned (R-SV-4)
