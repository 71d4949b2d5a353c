"""An Idempotency-Key answers the request it was first used with (issue 19, point 1): the same body
again replays the first answer; another body under the same key is a 409, as intake answers."""

from __future__ import annotations

import pytest
from huifang_infra.auth import Role
from huifang_infra.problems import PROBLEM_JSON
from huifang_survey.bootstrap import bootstrap
from huifang_survey.config import SurveySettings
from huifang_survey.entrypoints.api import create_app

from tests.support.backbone import wait_for
from tests.support.service import running_service, service_settings
from tests.survey.builders import ESTATE, NOW, assigned, estate, feed, scheduled, signed, staff

pytestmark = pytest.mark.integration

NO_ANSWER = {"result": "no_answer", "method": "phone", "contacted_at": NOW.isoformat()}
WRONG_NUMBER = NO_ANSWER | {"result": "wrong_number"}


async def test_a_key_used_again_with_another_body_is_a_409_and_records_nothing(
    database_url: str, kafka_bootstrap: str, unique: str
) -> None:
    settings = service_settings(SurveySettings, database_url, kafka_bootstrap, unique)
    survey = bootstrap(settings)
    zhao = signed(settings, Role.service_center_staff, "stf-zhao") | {"Idempotency-Key": "k-7"}
    async with running_service(create_app(survey=survey)) as client:
        events = [estate(), staff("stf-zhao"), scheduled("cb-1"), assigned("cb-1", "stf-zhao")]
        await feed(survey.runtime, kafka_bootstrap, events)

        async def assigned_to_zhao() -> bool:
            r = await client.get("/callbacks/cb-1", headers=zhao)
            return r.status_code == 200 and r.json()["assignee_id"] == "stf-zhao"

        await wait_for(assigned_to_zhao, timeout_s=60)
        first = await client.post("/callbacks/cb-1/contacts", json=NO_ANSWER, headers=zhao)
        again = await client.post("/callbacks/cb-1/contacts", json=NO_ANSWER, headers=zhao)
        other = await client.post("/callbacks/cb-1/contacts", json=WRONG_NUMBER, headers=zhao)
        attempts = (await client.get("/callbacks/cb-1", headers=zhao)).json()["attempts"]
    assert (first.status_code, again.status_code, again.headers.get("Idempotent-Replayed")) == (201, 201, "true")
    assert (other.status_code, other.headers["content-type"]) == (409, PROBLEM_JSON)
    assert [a["result"] for a in attempts] == ["no_answer"]


async def test_a_questionnaire_submission_id_used_again_with_other_answers_is_a_409(
    database_url: str, kafka_bootstrap: str, unique: str
) -> None:
    settings = service_settings(SurveySettings, database_url, kafka_bootstrap, unique)
    manager = signed(settings, Role.office_manager, "mgr-sun")
    clerk = signed(settings, Role.service_center_staff, "stf-zhao")
    campaign = {
        "campaign_id": "cp-9",
        "estate_ids": [ESTATE],
        "title": "季度意见征询",
        "kind": "full",
        "channels": ["written"],
        "dimensions": ["cleaning", "overall"],
        "opens_at": NOW.isoformat(),
        "issued_count": 3,
    }
    paper = {"submission_id": "paper-1", "answers": {"cleaning": "满意", "overall": "满意"}}
    other = {"submission_id": "paper-1", "answers": {"cleaning": "不满意", "overall": "不满意"}}
    async with running_service(create_app(survey=bootstrap(settings))) as client:
        assert (await client.post("/campaigns", json=campaign, headers=manager)).status_code == 201
        first = await client.post("/campaigns/cp-9/questionnaires", json=paper, headers=clerk)
        again = await client.post("/campaigns/cp-9/questionnaires", json=paper, headers=clerk)
        refused = await client.post("/campaigns/cp-9/questionnaires", json=other, headers=clerk)
        report = (await client.get("/campaigns/cp-9", headers=clerk)).json()
    assert (first.status_code, again.status_code, again.json()) == (201, 201, first.json())
    assert (refused.status_code, refused.headers["content-type"]) == (409, PROBLEM_JSON)
    assert (report["returned_count"], report["items"]["cleaning"]["counts"]["satisfied"]) == (1, 1)
