"""Callback records end to end through real Kafka and PostgreSQL: projections in, outcomes out (issue 8)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest
from huifang_contracts.envelope import Envelope
from huifang_contracts.topics import CATALOGUE, Service
from huifang_infra.auth import Role
from huifang_survey.bootstrap import bootstrap
from huifang_survey.config import SurveySettings
from huifang_survey.entrypoints.api import create_app

from tests.support.backbone import wait_for
from tests.support.kafka import read_records
from tests.support.service import running_service, service_settings
from tests.survey.builders import ESTATE, GROUP, NOW, assigned, estate, feed, scheduled, signed, staff

pytestmark = pytest.mark.integration

CALLED = NOW.isoformat()


def as_zhao(settings: SurveySettings) -> dict[str, str]:
    return signed(settings, Role.service_center_staff, "stf-zhao")


async def ready(client: httpx.AsyncClient, callback_id: str, assignee: str, headers: dict[str, str]) -> bool:
    r = await client.get(f"/callbacks/{callback_id}", headers=headers)
    return r.status_code == 200 and r.json()["assignee_id"] == assignee


async def test_records_publish_attempts_outcomes_and_raised_complaints(
    database_url: str, kafka_bootstrap: str, unique: str
) -> None:
    settings = service_settings(SurveySettings, database_url, kafka_bootstrap, unique)
    survey = bootstrap(settings)
    zhao = as_zhao(settings)
    async with running_service(create_app(survey=survey)) as client:
        runtime = survey.runtime
        await feed(
            runtime,
            kafka_bootstrap,
            [
                *(estate(), staff("stf-zhao"), scheduled("cb-1"), scheduled("cb-2", max_attempts=2), scheduled("cb-3")),
                *(assigned("cb-1", "stf-zhao"), assigned("cb-2", "stf-zhao"), assigned("cb-3", "stf-qian")),
            ],
        )
        for cb, who in (("cb-1", "stf-zhao"), ("cb-2", "stf-zhao"), ("cb-3", "stf-qian")):
            await wait_for(lambda cb=cb, who=who: ready(client, cb, who, zhao), timeout_s=60)

        # Not in the caller's queue → 403
        r = await client.post("/callbacks/cb-3/contacts", json=contact("no_answer"), headers=zhao)
        assert r.status_code == 403, r.text

        # A rating outside the four-level scale → 422 naming it (R-SV-3)
        off = contact("reached", ratings={"attitude": "fairly_satisfied", "overall": "satisfied"})
        r = await client.post("/callbacks/cb-1/contacts", json=off, headers=zhao)
        assert r.status_code == 422
        assert r.json()["errors"][0]["field"] == "ratings.attitude"

        # The same submission twice → one record
        first = await client.post(
            "/callbacks/cb-1/contacts", json=contact("no_answer"), headers=zhao | {"Idempotency-Key": "k-1"}
        )
        again = await client.post(
            "/callbacks/cb-1/contacts", json=contact("no_answer"), headers=zhao | {"Idempotency-Key": "k-1"}
        )
        assert (first.status_code, again.status_code) == (201, 201)
        assert again.json() == first.json() and again.headers["Idempotent-Replayed"] == "true"
        assert first.json()["next_attempt_after"] is not None
        qian = signed(settings, Role.service_center_staff, "stf-qian")
        theirs = await client.post(
            "/callbacks/cb-3/contacts", json=contact("no_answer"), headers=qian | {"Idempotency-Key": "k-1"}
        )
        assert (theirs.status_code, theirs.json()["callback_id"]) == (201, "cb-3")  # keys are per caller

        done = contact(
            "reached",
            submission_id="sub-2",
            answered_by="李敏",
            relation="self",
            ratings={"punctuality": "满意", "attitude": "very_satisfied", "quality": "fair", "overall": "satisfied"},
            comments="维修及时",
            suggestions="夜间施工请提前通知",
            new_issues=[{"description": "楼道灯不亮", "category": "电气", "subcategory": "公共照明"}],
        )
        r = await client.post("/callbacks/cb-1/contacts", json=done, headers=zhao)
        assert r.status_code == 201, r.text
        assert (r.json()["status"], r.json()["attempt_no"], r.json()["satisfied_or_fair"]) == ("completed", 2, True)
        view = (await client.get("/callbacks/cb-1", headers=zhao)).json()
        assert [a["result"] for a in view["attempts"]] == ["no_answer", "reached"]
        assert view["record"]["ratings_zh"]["attitude"] == "非常满意"
        assert view["assignee_name"] == "赵磊"  # from StaffRegistered
        r = await client.post("/callbacks/cb-1/contacts", json=contact("no_answer"), headers=zhao)
        assert r.status_code == 409

        # R-CB-11: the policy allows two attempts on cb-2
        await client.post("/callbacks/cb-2/contacts", json=contact("no_answer"), headers=zhao)
        r = await client.post("/callbacks/cb-2/contacts", json=contact("no_answer"), headers=zhao)
        assert (r.json()["status"], r.json()["failure_reason"]) == ("failed", "attempts_exhausted")

        topic = runtime.catalogue.topic_for("survey.CallbackCompleted")
        records = await read_records(kafka_bootstrap, topic, 8, timeout_s=30)
    envelopes = [Envelope.from_bytes(r.value) for r in records]
    by_type: dict[str, list[dict[str, Any]]] = {}
    for e in envelopes:
        assert (e.group_id, e.estate_id, e.producer) == (GROUP, ESTATE, "survey")
        by_type.setdefault(e.type, []).append(e.payload)
    assert len(envelopes) == 8
    assert sorted((p["callback_id"], p["attempt_no"], p["result"]) for p in by_type["survey.CallbackAttempted"]) == [
        ("cb-1", 1, "no_answer"), ("cb-1", 2, "reached"),
        ("cb-2", 1, "no_answer"), ("cb-2", 2, "no_answer"), ("cb-3", 1, "no_answer"),
    ]  # fmt: skip
    completed = by_type["survey.CallbackCompleted"][0]
    assert completed["ratings"] == {
        "scale": "four_level", "punctuality": "satisfied", "attitude": "very_satisfied", "quality": "fair",
        "overall": "satisfied",
    }  # fmt: skip
    assert (completed["satisfied_or_fair"], completed["late"], completed["attempts_used"]) == (True, False, 2)
    assert (completed["comments"], completed["suggestions"], completed["record_late"]) == (
        "维修及时",
        "夜间施工请提前通知",
        False,
    )
    failed = by_type["survey.CallbackFailed"][0]
    assert (failed["callback_id"], failed["attempts_used"], failed["reason"]) == ("cb-2", 2, "attempts_exhausted")


async def test_a_complaint_raised_during_a_callback_goes_to_intake_with_the_household(
    database_url: str, kafka_bootstrap: str, unique: str
) -> None:
    # R-CB-9: the issue becomes a complaint at intake; intake's group subscribes to survey.outcomes
    assert "survey.outcomes" in CATALOGUE.group(Service.INTAKE).topics
    settings = service_settings(SurveySettings, database_url, kafka_bootstrap, unique)
    survey = bootstrap(settings)
    zhao = as_zhao(settings)
    cause = scheduled("cb-9")
    async with running_service(create_app(survey=survey)) as client:
        await feed(survey.runtime, kafka_bootstrap, [estate(), cause, assigned("cb-9", "stf-zhao")])
        await wait_for(lambda: ready(client, "cb-9", "stf-zhao", zhao), timeout_s=60)
        body = contact(
            "reached",
            ratings={"overall": "dissatisfied"},
            new_issues=[{"description": "地下车库渗水", "category": "给排水"}],
            contacted_at=(NOW - timedelta(days=3)).isoformat(),  # written up three days after the call
        )
        r = await client.post("/callbacks/cb-9/contacts", json=body, headers=zhao)
        assert r.status_code == 201, r.text
        topic = survey.runtime.catalogue.topic_for("survey.ComplaintRaisedDuringCallback")
        assert topic == f"survey.outcomes.{unique}"
        records = await read_records(kafka_bootstrap, topic, 3, timeout_s=30)
    completed = [
        Envelope.from_bytes(r.value) for r in records if dict(r.headers)["type"] == b"survey.CallbackCompleted"
    ]
    assert (completed[0].payload["record_late"], completed[0].payload["satisfied_or_fair"]) == (True, False)  # R-CB-12
    raised = [
        Envelope.from_bytes(r.value)
        for r in records
        if dict(r.headers)["type"] == b"survey.ComplaintRaisedDuringCallback"
    ]
    assert len(raised) == 1
    envelope = raised[0]
    assert envelope.kafka_key() == ESTATE.encode()
    assert (envelope.correlation_id, envelope.causation_id) == (cause.correlation_id, cause.event_id)
    assert envelope.payload == {
        "issue_id": "cb-9-a1-i1",
        "callback_id": "cb-9",
        "description": "地下车库渗水",
        "category": "给排水",
        "subcategory": None,
        "unit_id": "T3-1502",
        "requester_name": "李敏",
        "requester_phone": "13800138000",
        "recorded_by": "stf-zhao",
        "escalate_to_role": "office_manager",
    }


def contact(result: str, **fields: Any) -> dict[str, Any]:
    return {"result": result, "method": "phone", "contacted_at": CALLED} | fields
