"""Upgrade without loss (issue 17 §8): ballots issued before they were streams become streams.

A database of the schema of before holds a campaign with three household links — one answered, one open,
one cut short by hand — and a callback's link, as that code wrote them; migration 0004 turns each into one
`survey.BallotImported` event carrying its state, which a rebuild reproduces and the next answer continues
from: the open link takes its one answer (R-SV-1), the used and expired ones refuse theirs.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import uuid4

import pytest
from huifang_infra.db import create_pool
from huifang_infra.eventstore import EventStore
from huifang_infra.migrations import MigrationSource, infra_migrations, migrate, service_migrations
from huifang_survey.bootstrap import bootstrap
from huifang_survey.config import SurveySettings
from huifang_survey.domain import issued_ballot as ib
from huifang_survey.domain.ballots import token_digest
from huifang_survey.domain.events import BallotImported, BallotUsed
from huifang_survey.entrypoints.api import create_app
from huifang_survey.service_layer.ballot_streams import ballot_codec

from tests.support.service import running_service, service_settings
from tests.survey.builders import ESTATE, GROUP
from tests.survey.state import rebuild, row_hashes

pytestmark = pytest.mark.integration

OPENS = datetime.now(UTC).replace(microsecond=0) - timedelta(days=2)
TOKENS = ("tok-used", "tok-open", "tok-cut", "tok-callback")

_OLD_ROWS = """
INSERT INTO campaigns (campaign_id, group_id, estate_id, title, kind, channels, dimensions, opens_at, closes_at,
                       issued_count, returned_count, status, opened_event_id)
VALUES ('cp-old', $1, $2, '2026年意见征询', 'full', '{written,online}', '{cleaning,overall}', $3, NULL, 5, 1, 'open',
        $4);
INSERT INTO questionnaires (questionnaire_id, campaign_id, group_id, estate_id, unit_id, channel, answers, comments,
                            returned_at)
VALUES ('q-1', 'cp-old', $1, $2, 'T1-101', 'online',
        '[{"dimension": "overall", "rating": "satisfied", "comment": null}]', NULL, $3 + interval '1 hour');
INSERT INTO callbacks (callback_id, group_id, estate_id, scheduled, unit_id) VALUES ('cb-old', $1, $2, true, 'T2-1');
INSERT INTO ballots (token_digest, kind, group_id, estate_id, campaign_id, callback_id, unit_id, issued_at,
                     expires_at, used_at)
VALUES ($5, 'questionnaire', $1, $2, 'cp-old', NULL, 'T1-101', $3, $3 + interval '30 days', $3 + interval '1 hour'),
       ($6, 'questionnaire', $1, $2, 'cp-old', NULL, 'T1-102', $3, $3 + interval '30 days', NULL),
       ($7, 'questionnaire', $1, $2, 'cp-old', NULL, 'T1-103', $3, $3 + interval '1 day', NULL),
       ($8, 'callback', $1, $2, NULL, 'cb-old', 'T2-1', $3, $3 + interval '30 days', NULL);
"""


def _before_streams(tmp_path: Path) -> MigrationSource:
    folder = tmp_path / "survey-migrations"
    folder.mkdir()
    shutil.copy(service_migrations("survey").folder / "0001_survey.sql", folder / "0001_survey.sql")
    return MigrationSource("survey", folder)


def _old_rows() -> str:
    values = {
        "$1": f"'{GROUP}'",
        "$2": f"'{ESTATE}'",
        "$3": f"'{OPENS.isoformat()}'::timestamptz",
        "$4": f"'{uuid4()}'",
    }
    values |= {f"${5 + i}": f"'{token_digest(t)}'" for i, t in enumerate(TOKENS)}
    sql = _OLD_ROWS
    for placeholder in sorted(values, key=len, reverse=True):
        sql = sql.replace(placeholder, values[placeholder])
    return sql


async def test_r_sv_1_ballots_of_an_existing_deployment_become_one_imported_event_each_and_stay_usable(
    database_url: str, kafka_bootstrap: str, unique: str, tmp_path: Path
) -> None:
    pool = await create_pool(database_url, min_size=1, max_size=2)
    try:
        await migrate(pool, [infra_migrations(), _before_streams(tmp_path)])
        async with pool.acquire() as conn:
            await conn.execute(_old_rows())
            old = await row_hashes(conn, ("ballots",))

        applied = await migrate(pool, [infra_migrations(), service_migrations("survey")])
        assert "survey/0004_ballot_streams.sql" in applied

        async with pool.acquire() as conn:
            imported = {}
            for token in TOKENS:
                (stored,) = await EventStore().load(conn, ib.stream_id(token_digest(token)))
                event = ballot_codec().decode(stored.event_type, stored.data)
                assert isinstance(event, BallotImported) and stored.estate_id == ESTATE
                imported[token] = event.ballot
            assert imported["tok-used"].used_at == OPENS + timedelta(hours=1)
            assert imported["tok-cut"].expires_at == OPENS + timedelta(days=1)
            issued = imported["tok-callback"].issued
            assert issued is not None and (issued.kind, issued.callback_id, issued.unit_id) == (
                "callback",
                "cb-old",
                "T2-1",
            )
            assert await rebuild(conn) == 1 + 4  # the campaign's import and the four ballots'
            assert await row_hashes(conn, ("ballots",)) == old
    finally:
        await pool.close()

    settings = service_settings(SurveySettings, database_url, kafka_bootstrap, unique)
    async with running_service(create_app(survey=bootstrap(settings))) as client:
        form = {"r_cleaning": "satisfied", "r_overall": "fairly_satisfied"}
        statuses = [(await client.post(f"/s/{t}", data=form)).status_code for t in ("tok-open", "tok-used", "tok-cut")]
        assert statuses == [200, 410, 410]
        assert (await client.post("/s/tok-open", data=form)).status_code == 410  # one answer per link
    pool = await create_pool(database_url, min_size=1, max_size=1)
    try:
        async with pool.acquire() as conn:
            stream = await EventStore().load(conn, ib.stream_id(token_digest("tok-open")))
            returned = await conn.fetchval("SELECT returned_count FROM campaigns WHERE campaign_id = 'cp-old'")
    finally:
        await pool.close()
    assert [e.event_type for e in stream] == [BallotImported.TYPE, BallotUsed.TYPE]
    assert returned == 2
