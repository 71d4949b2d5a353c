"""Upgrade without loss (issue 17 §8): callback records written before their streams became streams.

The database is made by the schema of before (infra's migrations and survey's 0001) with rows as that
code wrote them; migration 0002 turns each recorded callback into one `survey.RecordImported` event,
which the codec reads back, a rebuild reproduces, and the next contact continues from (R-CB-11).
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from huifang_contracts.enums import FailureReason
from huifang_infra.auth import Role
from huifang_infra.db import create_pool
from huifang_infra.eventstore import EventStore
from huifang_infra.migrations import MigrationSource, infra_migrations, migrate, service_migrations
from huifang_survey.bootstrap import bootstrap
from huifang_survey.config import SurveySettings
from huifang_survey.domain import callback_record as cr
from huifang_survey.domain.events import RecordImported
from huifang_survey.entrypoints.api import create_app
from huifang_survey.service_layer.records import callback_record, record_codec

from tests.support.service import running_service, service_settings
from tests.survey.builders import ESTATE, GROUP, signed
from tests.survey.state import rebuild, row_hashes

pytestmark = pytest.mark.integration

T0 = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=6)

# Rows as the code of before wrote them: cb-done reached on its second try with a raised issue,
# cb-refused refused at once, cb-open one unanswered try of two allowed, cb-new never called.
_OLD_ROWS = """
INSERT INTO estates (group_id, estate_id, name) VALUES ($1, $2, '南苑小区');
INSERT INTO callbacks (callback_id, group_id, estate_id, scheduled, method, deadline, max_attempts,
                       retry_spacing_minutes, unit_id, requester_name, assignee_id, status, attempts_used)
VALUES ('cb-done', $1, $2, true, 'phone', $3 + interval '3 days', 3, 60, 'T3-1502', '李敏', 'stf-zhao', 'completed', 2),
       ('cb-refused', $1, $2, true, 'phone', $3 + interval '3 days', 3, 60, NULL, NULL, 'stf-zhao', 'failed', 1),
       ('cb-open', $1, $2, true, 'phone', $3 + interval '3 days', 2, 60, NULL, NULL, 'stf-zhao', 'open', 1),
       ('cb-new', $1, $2, true, 'phone', $3 + interval '3 days', 2, 60, NULL, NULL, 'stf-zhao', 'open', 0);
INSERT INTO callback_attempts (callback_id, attempt_no, group_id, estate_id, caller_id, result, method, contacted_at,
                               recorded_at, next_attempt_after, record_late, note)
VALUES ('cb-done', 1, $1, $2, 'stf-zhao', 'no_answer', 'phone', $3, $3, $3 + interval '1 hour', false, '无人接听'),
       ('cb-done', 2, $1, $2, 'stf-zhao', 'reached', 'phone', $3 + interval '2 hours', $3 + interval '2 hours',
        NULL, false, NULL),
       ('cb-refused', 1, $1, $2, 'stf-zhao', 'refused', 'phone', $3, $3, NULL, false, NULL),
       ('cb-open', 1, $1, $2, 'stf-zhao', 'no_answer', 'phone', $3, $3, $3 + interval '1 hour', false, NULL);
INSERT INTO callback_records (callback_id, group_id, estate_id, caller_id, method, completed_at, recorded_at,
                              answered_by, relation, ratings, satisfied_or_fair, comments, late, record_late,
                              attempts_used)
VALUES ('cb-done', $1, $2, 'stf-zhao', 'phone', $3 + interval '2 hours', $3 + interval '2 hours', '李敏', 'self',
        '{"scale": "four_level", "punctuality": null, "attitude": "very_satisfied", "quality": null,
          "overall": "satisfied"}', true, '维修及时', false, false, 2);
INSERT INTO raised_issues (issue_id, callback_id, group_id, estate_id, description, category, subcategory,
                           recorded_by, recorded_at)
VALUES ('cb-done-a2-i1', 'cb-done', $1, $2, '楼道灯不亮', '电气', NULL, 'stf-zhao', $3 + interval '2 hours');
"""


def _before_streams(tmp_path: Path) -> MigrationSource:
    folder = tmp_path / "survey-migrations"
    folder.mkdir()
    shutil.copy(service_migrations("survey").folder / "0001_survey.sql", folder / "0001_survey.sql")
    return MigrationSource("survey", folder)


async def test_recorded_callbacks_of_an_existing_deployment_become_one_imported_event_each(
    database_url: str, kafka_bootstrap: str, unique: str, tmp_path: Path
) -> None:
    pool = await create_pool(database_url, min_size=1, max_size=2)
    try:
        await migrate(pool, [infra_migrations(), _before_streams(tmp_path)])
        async with pool.acquire() as conn:
            literal = f"'{T0.isoformat()}'::timestamptz"
            await conn.execute(
                _OLD_ROWS.replace("$1", f"'{GROUP}'").replace("$2", f"'{ESTATE}'").replace("$3", literal)
            )
            old = await row_hashes(conn)

        applied = await migrate(pool, [infra_migrations(), service_migrations("survey")])
        assert "survey/0002_callback_record_streams.sql" in applied

        async with pool.acquire() as conn:
            store, codec = EventStore(), record_codec()
            states = {}
            for cb in ("cb-done", "cb-refused", "cb-open"):
                (stored,) = await store.load(conn, cr.stream_id(cb))
                assert (stored.event_type, stored.group_id, stored.estate_id) == (RecordImported.TYPE, GROUP, ESTATE)
                states[cb] = callback_record.fold([codec.decode(stored.event_type, stored.data)])
            assert await store.load(conn, cr.stream_id("cb-new")) == []  # never called: nothing to import

            done = states["cb-done"]
            assert (done.status, done.attempts_used, [a.result.value for a in done.attempts]) == (
                "completed",
                2,
                ["no_answer", "reached"],
            )
            assert done.completion is not None and done.completion.ratings.overall.value == "satisfied"
            assert [(i.issue_id, i.unit_id, i.requester_name) for i in done.issues] == [
                ("cb-done-a2-i1", "T3-1502", "李敏")
            ]
            refused = states["cb-refused"]
            assert refused.failure is not None and refused.failure.reason is FailureReason.REFUSED
            assert (states["cb-open"].status, states["cb-open"].attempts_used) == ("open", 1)

            assert await rebuild(conn) == 3
            assert await row_hashes(conn) == old
    finally:
        await pool.close()

    # the upgraded service continues from the imported attempt: the second of two unanswered fails it
    settings = service_settings(SurveySettings, database_url, kafka_bootstrap, unique)
    zhao = signed(settings, Role.service_center_staff, "stf-zhao")
    async with running_service(create_app(survey=bootstrap(settings))) as client:
        body = {"result": "no_answer", "method": "phone"}
        r = await client.post("/callbacks/cb-open/contacts", json=body, headers=zhao)
        assert r.status_code == 201, r.text
        assert (r.json()["attempt_no"], r.json()["status"], r.json()["failure_reason"]) == (
            2,
            "failed",
            "attempts_exhausted",
        )
        assert (await client.post("/callbacks/cb-done/contacts", json=body, headers=zhao)).status_code == 409
