"""The resident's page in a real headless Chromium: phone-sized, Chinese, one answer per link (issue 8).

The app runs under uvicorn on a free port (the browser needs a real HTTP server) against the real
Kafka and PostgreSQL; the page must load nothing from outside (the resident's phone may be offline
from CDNs, and so is this machine).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import uvicorn
from huifang_infra.auth import Role
from huifang_survey.bootstrap import bootstrap
from huifang_survey.config import SurveySettings
from huifang_survey.entrypoints.api import create_app

from tests.support.backbone import wait_for
from tests.support.ports import free_port
from tests.support.service import service_settings
from tests.survey.builders import ESTATE, NOW, assigned, estate, feed, scheduled, signed

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM), reason=f"no Chromium at {CHROMIUM}: the page test needs a browser"
    ),
]


@contextlib.asynccontextmanager
async def served(app: Any, port: int) -> AsyncIterator[str]:
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    task = asyncio.create_task(server.serve())
    try:
        await wait_for(_started(server), timeout_s=90)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, timeout=60)


def _started(server: uvicorn.Server) -> Any:
    async def check() -> bool:
        return server.started

    return check


async def test_a_resident_answers_on_the_page_once(database_url: str, kafka_bootstrap: str, unique: str) -> None:
    from playwright.async_api import async_playwright

    port = free_port()
    settings = service_settings(
        SurveySettings, database_url, kafka_bootstrap, unique, public_base_url=f"http://127.0.0.1:{port}"
    )
    zhao = signed(settings, Role.service_center_staff, "stf-zhao")
    manager = signed(settings, Role.office_manager, "mgr-sun")
    survey = bootstrap(settings)
    async with served(create_app(survey=survey), port) as base, httpx.AsyncClient(base_url=base) as client:
        await feed(survey.runtime, kafka_bootstrap, [estate(), scheduled("cb-web"), assigned("cb-web", "stf-zhao")])

        async def assigned_to_zhao() -> bool:
            r = await client.get("/callbacks/cb-web", headers=zhao)
            return r.status_code == 200 and r.json()["assignee_id"] == "stf-zhao"

        await wait_for(assigned_to_zhao, timeout_s=60)
        link = (await client.post("/callbacks/cb-web/ballots", headers=zhao)).json()["url"]
        body = {
            "campaign_id": "cp-web", "estate_ids": [ESTATE], "title": "2026年上半年满意度调查", "kind": "full",
            "channels": ["online"], "opens_at": NOW.isoformat(),
        }  # fmt: skip
        assert (await client.post("/campaigns", json=body, headers=manager)).status_code == 201
        ballots = await client.post("/campaigns/cp-web/ballots", json={"unit_ids": ["T2-301"]}, headers=zhao)
        questionnaire_link = ballots.json()["links"][0]["url"]

        outside: list[str] = []
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
            try:
                context = await browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
                page = await context.new_page()
                page.on("request", lambda req: None if req.url.startswith(base) else outside.append(req.url))

                # the callback survey on the four-level scale
                await page.goto(link)
                assert await page.locator("h1").inner_text() == "服务回访"
                assert await page.locator("html").get_attribute("lang") == "zh-CN"
                width = await page.evaluate("document.documentElement.scrollWidth")
                assert width <= 390  # fits the phone, no sideways scrolling
                await page.locator("button[type=submit]").click()  # overall not chosen: the browser holds it
                assert page.url == link
                await page.check("input[name=r_attitude][value=very_satisfied]")
                await page.check("input[name=r_overall][value=fair]")
                await page.fill("textarea[name=issue]", "单元门禁坏了")
                await page.locator("button[type=submit]").click()
                await page.wait_for_selector("[data-state=thanks]")
                assert "提交成功" in await page.locator("h1").inner_text()

                await page.goto(link)  # one answer per token
                assert await page.locator("[data-state]").get_attribute("data-state") == "used"
                assert await page.locator("h1").inner_text() == "此链接已使用"

                # a questionnaire over all fourteen dimensions (R-SV-2), English on request
                await page.goto(questionnaire_link + "?lang=en")
                assert await page.locator("fieldset[id^=q-]").count() == 14
                await page.click("text=中文")
                assert "总体" in await page.locator("#q-overall legend").inner_text()
                await page.check("#q-overall input[value=fairly_satisfied]")
                await page.check("#q-cleaning input[value=dissatisfied]")
                await page.fill("textarea[name=c_cleaning]", "垃圾清运不及时")
                await page.locator("button[type=submit]").click()
                await page.wait_for_selector("[data-state=thanks]")
                await context.close()
            finally:
                await browser.close()
        assert outside == []

        record = (await client.get("/callbacks/cb-web", headers=zhao)).json()["record"]
        assert (record["method"], record["ratings"]["overall"], record["satisfied_or_fair"]) == ("online", "fair", True)
        report = (await client.get("/campaigns/cp-web", headers=zhao)).json()
        assert (report["issued_count"], report["returned_count"]) == (1, 1)
        assert report["household_share_percent"] == 0.12  # 1 of the estate's 800 households (R-SV-1)
        assert report["items"]["cleaning"]["counts"]["dissatisfied"] == 1
        assert report["items"]["overall"]["satisfaction_percent"] == 100.0  # 一般满意 counts (R-SV-4)
