"""Questionnaire campaigns through real Kafka and PostgreSQL: counts, online links, events (R-SV-1, R-SV-4)."""

from __future__ import annotations

from typing import Any

import pytest
from huifang_contracts.envelope import Envelope
from huifang_infra.auth import Role
from huifang_survey.bootstrap import bootstrap
from huifang_survey.config import SurveySettings
from huifang_survey.entrypoints.api import create_app

from tests.support.kafka import read_records
from tests.support.service import running_service, service_settings
from tests.survey.builders import ESTATE, NOW, signed

pytestmark = pytest.mark.integration


async def test_campaign_counts_links_and_events(database_url: str, kafka_bootstrap: str, unique: str) -> None:
    settings = service_settings(SurveySettings, database_url, kafka_bootstrap, unique)
    manager = signed(settings, Role.office_manager, "mgr-sun")
    clerk = signed(settings, Role.service_center_staff, "stf-zhao")
    tokens = iter(["tok-a", "tok-b"])
    survey = bootstrap(settings)
    survey.new_token = lambda: next(tokens)
    async with running_service(create_app(survey=survey)) as client:
        r = await client.post("/campaigns", json=campaign_body(), headers=manager)
        assert r.status_code == 201, r.text
        assert r.json()[0]["issued_count"] == 3
        r = await client.post("/campaigns", json=campaign_body(), headers=clerk)
        assert r.status_code == 403  # organising a campaign is the manager's

        r = await client.post("/campaigns/cp-7/ballots", json={"unit_ids": ["T1-101", "T1-102"]}, headers=clerk)
        assert r.status_code == 201, r.text
        assert [link["url"] for link in r.json()["links"]] == [
            "http://127.0.0.1:8004/s/tok-a", "http://127.0.0.1:8004/s/tok-b",
        ]  # fmt: skip
        assert r.json()["issued_count"] == 5  # 3 paper + 2 online

        paper = {
            "submission_id": "paper-1",
            "answers": {"cleaning": "一般满意", "security": "不满意", "overall": "满意"},
        }
        first = await client.post("/campaigns/cp-7/questionnaires", json=paper, headers=clerk)
        again = await client.post("/campaigns/cp-7/questionnaires", json=paper, headers=clerk)
        assert first.status_code == 201, first.text
        assert again.json() == first.json()  # one record for the same submission
        off = {"answers": {"overall": "非常满意"}}  # four-level value on a questionnaire (R-SV-3)
        r = await client.post("/campaigns/cp-7/questionnaires", json=off, headers=clerk)
        assert (r.status_code, r.json()["errors"][0]["field"]) == (422, "answers.overall")
        second = {"answers": {"cleaning": "dissatisfied", "overall": "dissatisfied"}, "comments": "保洁不及时"}
        assert (await client.post("/campaigns/cp-7/questionnaires", json=second, headers=clerk)).status_code == 201

        page = await client.get("/s/tok-a")
        assert page.status_code == 200 and "总体" in page.text and "一般满意" in page.text
        form = {"r_cleaning": "satisfied", "r_security": "fairly_satisfied", "r_overall": "fairly_satisfied"}
        answered = await client.post("/s/tok-a", data=form)
        assert answered.status_code == 200 and "提交成功" in answered.text
        reused = await client.post("/s/tok-a", data=form)
        assert reused.status_code == 410 and "此链接已使用" in reused.text
        assert (await client.get("/s/nope")).status_code == 404

        report = (await client.get("/campaigns/cp-7", headers=clerk)).json()
        # R-SV-4: returned 3 of 5 issued; overall 满意 + 一般满意 = 2 of 3 returned; security 1 of 3 (the
        # second questionnaire skipped it, which counts against the item)
        assert (report["issued_count"], report["returned_count"], report["return_rate_percent"]) == (5, 3, 60.0)
        assert report["items"]["overall"]["satisfaction_percent"] == 66.67
        assert report["items"]["security"]["satisfaction_percent"] == 33.33
        assert report["items"]["cleaning"]["counts"] == {"satisfied": 1, "fairly_satisfied": 1, "dissatisfied": 1}

        closed = await client.post("/campaigns/cp-7/close", headers=manager)
        assert closed.json()["status"] == "closed"
        expired = await client.get("/s/tok-b")
        assert expired.status_code == 410 and "已过期" in expired.text  # closing ends the links
        topic = survey.runtime.catalogue.topic_for("survey.SurveyCampaignOpened")
        records = await read_records(kafka_bootstrap, topic, 5, timeout_s=30)
    events = [Envelope.from_bytes(r.value) for r in records]
    assert [e.type.split(".")[1] for e in events] == [
        "SurveyCampaignOpened",
        "QuestionnaireReturned",
        "QuestionnaireReturned",
        "QuestionnaireReturned",
        "SurveyCampaignClosed",
    ]  # fmt: skip (one estate: one partition, in order)
    opened, closed_event = events[0], events[-1]
    assert opened.payload["dimensions"] == ["cleaning", "security", "overall"]
    assert opened.payload["issued_count"] == 3
    assert (opened.payload["method"], opened.payload["channels"]) == ("written", ["written", "online"])
    assert (closed_event.payload["issued_count"], closed_event.payload["returned_count"]) == (5, 3)
    assert all(e.correlation_id == opened.event_id for e in events)
    online = events[3].payload
    assert (online["unit_id"], [a["rating"] for a in online["answers"]]) == (
        "T1-101", ["satisfied", "fairly_satisfied", "fairly_satisfied"],
    )  # fmt: skip


def campaign_body(**fields: Any) -> dict[str, Any]:
    return {
        "campaign_id": "cp-7",
        "estate_ids": [ESTATE],
        "title": "2026年7月全面意见征询",
        "kind": "full",
        "channels": ["written", "online"],
        "dimensions": ["cleaning", "security", "overall"],
        "opens_at": NOW.isoformat(),
        "issued_count": 3,
    } | fields
