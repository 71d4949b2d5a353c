"""HTTP rules every endpoint keeps: 401 without a token, 403 outside the scope, 422 naming the field, 404."""

from __future__ import annotations

import pytest
from huifang_infra.auth import Role
from huifang_survey.bootstrap import bootstrap
from huifang_survey.config import SurveySettings
from huifang_survey.entrypoints.api import create_app

from tests.support.service import running_service, service_settings
from tests.survey.builders import ESTATE, NOW, signed

pytestmark = pytest.mark.integration


async def test_auth_scope_and_input_problems(database_url: str, kafka_bootstrap: str, unique: str) -> None:
    settings = service_settings(SurveySettings, database_url, kafka_bootstrap, unique)
    staff = signed(settings, Role.service_center_staff, "stf-zhao")
    other_estate = signed(settings, Role.office_manager, "mgr-qian", ["est-beiyuan"])
    manager = signed(settings, Role.office_manager, "mgr-sun")
    async with running_service(create_app(survey=bootstrap(settings))) as client:
        assert (await client.get("/callbacks")).status_code == 401

        r = await client.post("/callbacks/cb-x/contacts", json={"result": "maybe", "method": "phone"}, headers=staff)
        assert r.status_code == 422
        assert r.headers["content-type"] == "application/problem+json"
        assert [e["field"] for e in r.json()["errors"]] == ["result"]

        r = await client.post(
            "/callbacks/cb-x/contacts", json={"result": "no_answer", "method": "phone"}, headers=staff
        )
        assert r.status_code == 404  # nothing scheduled under that id

        campaign = {
            "campaign_id": "cp-1", "estate_ids": [ESTATE], "title": "季度回访", "kind": "quarterly_callback",
            "channels": ["door"], "dimensions": ["cleaning"], "opens_at": NOW.isoformat(),
        }  # fmt: skip
        r = await client.post("/campaigns", json=campaign, headers=manager)
        assert (r.status_code, r.json()["errors"][0]["field"]) == (422, "dimensions")  # overall is required
        r = await client.post("/campaigns", json=campaign | {"dimensions": None}, headers=other_estate)
        assert r.status_code == 403  # outside the manager's estates
        r = await client.post("/campaigns", json=campaign | {"dimensions": None}, headers=manager)
        assert r.status_code == 201 and len(r.json()[0]["dimensions"]) == 14
        assert (await client.get("/campaigns/cp-1", headers=other_estate)).status_code == 403
        listed = (await client.get("/campaigns", headers=other_estate)).json()
        assert listed == []  # every query filters by the caller's scope
        r = await client.post(
            "/campaigns/cp-1/questionnaires", json={"channel": "door", "answers": {"overall": "满意"}}, headers=staff
        )
        assert r.status_code == 409  # nothing issued yet: returned may not exceed issued (R-SV-4)
        r = await client.put("/estates/est-nanyuan/callback-scale", json={"scale": "three_level"}, headers=staff)
        assert r.status_code == 403
        r = await client.put("/estates/est-nanyuan/callback-scale", json={"scale": "three_level"}, headers=manager)
        assert r.json() == {"estate_id": ESTATE, "scale": "three_level", "label_zh": "三级（问卷）"}
