"""`GET /callbacks/{id}` names the scale the form must use: the callback's own, else the estate's (R-SV-3)."""

from __future__ import annotations

import httpx
import pytest
from huifang_contracts.enums import SatisfactionScale
from huifang_infra.auth import Role
from huifang_survey.bootstrap import bootstrap
from huifang_survey.config import SurveySettings
from huifang_survey.entrypoints.api import create_app

from tests.support.backbone import wait_for
from tests.support.service import running_service, service_settings
from tests.survey.builders import ESTATE, estate, feed, scheduled, signed

pytestmark = pytest.mark.integration


async def scale_of(client: httpx.AsyncClient, callback_id: str, headers: dict[str, str]) -> str | None:
    r = await client.get(f"/callbacks/{callback_id}", headers=headers)
    return r.json()["scale"] if r.status_code == 200 else None


async def test_the_callbacks_own_scale_wins_else_the_estates_default(
    database_url: str, kafka_bootstrap: str, unique: str
) -> None:
    settings = service_settings(SurveySettings, database_url, kafka_bootstrap, unique)
    manager = signed(settings, Role.office_manager, "mgr-sun")
    survey = bootstrap(settings)
    async with running_service(create_app(survey=survey)) as client:
        await feed(
            survey.runtime,
            kafka_bootstrap,
            [estate(), scheduled("cb-own", rating_scale=SatisfactionScale.THREE_LEVEL), scheduled("cb-default")],
        )
        await wait_for(lambda: _is(client, "cb-own", "three_level", manager), timeout_s=60)
        await wait_for(lambda: _is(client, "cb-default", "four_level", manager), timeout_s=60)
        r = await client.get("/callbacks/cb-own", headers=manager)
        assert r.json()["scale_zh"] == "三级（问卷）"

        # The estate switches its default to three levels: only the callback without its own scale follows.
        r = await client.put(f"/estates/{ESTATE}/callback-scale", json={"scale": "three_level"}, headers=manager)
        assert r.status_code == 200, r.text
        assert await scale_of(client, "cb-default", manager) == "three_level"
        assert await scale_of(client, "cb-own", manager) == "three_level"

        r = await client.put(f"/estates/{ESTATE}/callback-scale", json={"scale": "four_level"}, headers=manager)
        assert r.status_code == 200, r.text
        assert await scale_of(client, "cb-default", manager) == "four_level"
        assert await scale_of(client, "cb-own", manager) == "three_level"  # its own scale, whatever the estate's


async def _is(client: httpx.AsyncClient, callback_id: str, expected: str, headers: dict[str, str]) -> bool:
    return await scale_of(client, callback_id, headers) == expected
