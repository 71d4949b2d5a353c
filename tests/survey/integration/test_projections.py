"""Projections tolerate any arrival order: assignment before scheduling, an older assignment after a newer one."""

from __future__ import annotations

from datetime import timedelta

import pytest
from huifang_infra.auth import Role
from huifang_survey.bootstrap import bootstrap
from huifang_survey.config import SurveySettings
from huifang_survey.entrypoints.api import create_app

from tests.support.backbone import wait_for
from tests.support.service import running_service, service_settings
from tests.survey.builders import NOW, assigned, estate, feed, reassigned, scheduled, signed

pytestmark = pytest.mark.integration


async def test_the_newest_assignment_holds_whatever_the_order(
    database_url: str, kafka_bootstrap: str, unique: str
) -> None:
    settings = service_settings(SurveySettings, database_url, kafka_bootstrap, unique)
    manager = signed(settings, Role.office_manager, "mgr-sun")
    zhao = signed(settings, Role.service_center_staff, "stf-zhao")
    survey = bootstrap(settings)
    async with running_service(create_app(survey=survey)) as client:
        # escalated to the manager (newer) arrives before the first assignment (older) and the schedule
        await feed(
            survey.runtime,
            kafka_bootstrap,
            [
                reassigned("cb-5", "stf-zhao", "mgr-sun", NOW + timedelta(hours=30)),
                assigned("cb-5", "stf-zhao", occurred_at=NOW),
                estate(),
                scheduled("cb-5"),
            ],
        )

        async def all_four_applied() -> bool:
            consumer = survey.runtime.consumer
            return consumer is not None and consumer.processed >= 4

        await wait_for(all_four_applied, timeout_s=60)
        view = (await client.get("/callbacks/cb-5", headers=manager)).json()
        assert view["assignee_id"] == "mgr-sun"
        # shown in the estate's zone: NOW + 3 days, UTC+8
        assert view["deadline_local"].endswith("+08:00")
        contact = {"result": "no_answer", "method": "phone"}
        assert (await client.post("/callbacks/cb-5/contacts", json=contact, headers=zhao)).status_code == 403
        assert (await client.post("/callbacks/cb-5/contacts", json=contact, headers=manager)).status_code == 201
