"""The staff console in headless Chromium against the running services (issue 11 §7).

Callback, dispatch, survey and reporting run under uvicorn on free ports, sharing one topic suffix, so
events flow between them as in production: intake's facts (produced here) → callback schedules →
dispatch assigns → the console shows it → the record goes from the browser to survey → dispatch drops
it from the queue, callback reopens the complaint (R-CB-10), reporting counts the reopening.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from huifang_contracts.envelope import Envelope
from huifang_infra.auth import Role
from playwright.async_api import Page, ViewportSize, async_playwright, expect

from tests.console.browser.servers import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, Servers, serving
from tests.console.browser.stories import ESTATE, GROUP, builder, complaint_resolved, estate_registered
from tests.console.support import PASSWORD
from tests.support.backbone import wait_for
from tests.support.kafka import produce, read_records
from tests.support.service import bearer

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="the machine's chromium is not installed"),
]

SERVICES = ["dispatch", "survey", "callback", "reporting"]
ADMIN = bearer(Role.office_manager, GROUP, [ESTATE], sub="boss")
HEAD = bearer(Role.department_head, GROUP, [ESTATE], sub="head1")
PHONE: ViewportSize = {"width": 375, "height": 812}


async def add_staff(client: httpx.AsyncClient, staff_id: str, role: str, **extra: Any) -> None:
    body = {"staff_id": staff_id, "estate_id": ESTATE, "name": extra.pop("name"), "role": role, **extra}
    assert (await client.post("/staff", json=body, headers=ADMIN)).status_code == 201
    put = await client.put(
        f"/staff/{staff_id}/password", json={"password": PASSWORD, "must_change": False}, headers=ADMIN
    )
    assert put.status_code == 204, put.text


async def sign_in(page: Page, base: str, user: str, password: str = PASSWORD) -> None:
    await page.goto(f"{base}/console#/login")
    await page.fill("#f-username", user)
    await page.fill("#f-password", password)
    async with page.expect_response("**/auth/token") as answer:
        await page.click("#login-submit")
    if (await answer.value).ok:  # signed in: wait for the queue, the first screen
        await page.wait_for_selector("body[data-screen=queue][data-loaded=true]", state="attached")


async def test_sign_in_record_a_dissatisfied_callback_and_the_complaint_reopens(
    admin_database_url: str, kafka_bootstrap: str, unique: str
) -> None:
    async with serving(admin_database_url, unique, SERVICES, builder(kafka_bootstrap)) as servers:
        base = servers.url("dispatch")
        catalogue = servers.apps["dispatch"].state.runtime.catalogue
        now = datetime.now(UTC).replace(microsecond=0)
        async with httpx.AsyncClient(base_url=base, timeout=20) as dispatch:
            registry = catalogue.topic_for("intake.EstateRegistered")
            await produce(kafka_bootstrap, registry, [(e.kafka_key(), e.to_bytes()) for e in [estate_registered(now)]])
            # R-CB-3: a general complaint → the head of the complained department (engineering).
            await add_staff(dispatch, "head1", "department_head", name="张工", department="engineering")
            await add_staff(dispatch, "mgr1", "office_manager", name="刘经理")
            complaints = catalogue.topic_for("intake.ComplaintResolved")
            facts = complaint_resolved("C-1", now)
            await produce(kafka_bootstrap, complaints, [(e.kafka_key(), e.to_bytes()) for e in facts])

            async def queued() -> dict[str, Any] | None:
                q = (await dispatch.get("/me/callbacks", headers=HEAD)).json()
                items = q["overdue"] + q["due_today"] + q["upcoming"]
                return items[0] if items else None

            item = await wait_for(queued, timeout_s=90)
            callback_id = item["callback_id"]
            async with httpx.AsyncClient(base_url=servers.url("survey"), timeout=20) as survey:

                async def survey_knows() -> bool:
                    r = await survey.get(f"/callbacks/{callback_id}", headers=HEAD)
                    return r.status_code == 200 and r.json()["assignee_id"] == "head1"

                await wait_for(survey_knows, timeout_s=60)
            await _browser(servers, item)

            async def left_queue() -> bool:
                return await queued() is None

            await wait_for(left_queue, timeout_s=60)
        await _reopened_and_counted(servers, kafka_bootstrap, callback_id)


async def _browser(servers: Servers, item: dict[str, Any]) -> None:
    base = servers.url("dispatch")
    callback_id = item["callback_id"]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            phone = await browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
            page = await phone.new_page()
            # A wrong password is refused in Chinese, beside the form.
            await sign_in(page, base, "head1", "wrong-password1")
            await expect(page.locator("#login-error")).to_have_text("用户名或密码错误")
            await sign_in(page, base, "head1")
            card = page.locator(f"article[data-callback-id='{callback_id}']")
            await expect(card).to_be_visible()
            # Deadline in estate time, household and unit, the complaint's category (R-CB-3 caller's view).
            deadline = item["deadline"]["local"]  # e.g. 2026-11-26T23:59+08:00
            await expect(card.locator(".deadline")).to_have_text(f"{deadline[5:10]} {deadline[11:16]}")
            await expect(card).to_contain_text("T3-1502")
            await expect(card).to_contain_text("李敏")
            await expect(card).to_contain_text("给排水 › 排水管")
            await expect(card).to_contain_text("电话")
            # Usable at 375 px: nothing wider than the screen.
            assert await page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
            await page.screenshot(path=str(ARTIFACTS / "console-queue-phone.png"), full_page=True)

            await card.locator("[data-action=accept]").click()
            await expect(card.locator(f"#status-{callback_id}")).to_have_text("已接单")
            await card.locator("[data-action=record]").click()
            await expect(page.locator("#record-form")).to_be_visible()
            await expect(page.locator("#context")).to_contain_text("C-1")

            # Reached but not rated: survey refuses; the error sits beside the ratings, in Chinese, and
            # nothing typed is lost.
            await page.check("input[name=result][value=reached]")
            await page.fill("#f-answered_by", "李敏")
            await page.check("input[name=relation][value=self]")
            await page.fill("#f-comments", "排水管仍有异味")
            await page.click("#record-submit")
            await expect(page.locator("#err-ratings")).to_have_text("接通后须评价，至少选择总体评价")
            await expect(page.locator("#record-banner")).to_contain_text("已填写内容已保留")
            assert await page.input_value("#f-comments") == "排水管仍有异味"
            assert await page.input_value("#f-answered_by") == "李敏"
            await page.screenshot(path=str(ARTIFACTS / "console-record-error-phone.png"), full_page=True)

            # Dissatisfied (four-level scale), with a new complaint raised during the callback (R-CB-9).
            for dim, value in [("punctuality", "satisfied"), ("attitude", "satisfied"), ("quality", "dissatisfied"),
                               ("overall", "dissatisfied")]:  # fmt: skip
                await page.check(f"input[name='ratings.{dim}'][value={value}]")
            await page.fill("#f-duration", "4")
            await page.check("#f-raise")
            await page.fill("#f-new_issues", "楼道灯坏了一周")
            await page.click("#record-submit")
            await expect(page.locator("#record-banner")).to_have_attribute("data-status", "completed")
            assert await page.evaluate(f"localStorage.getItem('huifang.draft.{callback_id}')") is None

            # The item leaves the queue once dispatch hears CallbackCompleted from survey.
            async def gone() -> bool:
                await page.goto(f"{base}/console#/queue")
                await page.reload()
                await page.wait_for_selector("body[data-loaded=true]")
                return await page.locator(f"article[data-callback-id='{callback_id}']").count() == 0

            await wait_for(gone, timeout_s=60, interval_s=1)
            await page.click("#lang")
            await expect(page.locator("h1")).to_have_text("My callbacks")
            await page.click("#lang")

            desktop = await browser.new_context(viewport={"width": 1280, "height": 900})
            manager = await desktop.new_page()
            await sign_in(manager, base, "mgr1")
            await expect(manager.locator("#queue")).to_be_visible()
            await manager.goto(f"{base}/console#/manage")
            await expect(manager.locator("#policy-rules li").first).to_be_visible(timeout=20000)
            await expect(manager.locator("#policy-preview")).to_contain_text("将安排回访")
            await expect(manager.locator("#policy-rules")).to_contain_text("由部门主管回访")
            await manager.screenshot(path=str(ARTIFACTS / "console-manage-desktop.png"), full_page=True)
            await manager.goto(f"{base}/console#/duty")
            await expect(manager.locator("#duty-form")).to_be_visible()
            await manager.screenshot(path=str(ARTIFACTS / "console-duty-desktop.png"), full_page=True)
        finally:
            await browser.close()


async def _reopened_and_counted(servers: Servers, kafka_bootstrap: str, callback_id: str) -> None:
    catalogue = servers.apps["callback"].state.runtime.catalogue
    # R-CB-9: the new issue became ComplaintRaisedDuringCallback (to intake).
    outcomes = await read_records(kafka_bootstrap, catalogue.topic_for("survey.ComplaintRaisedDuringCallback"), 2)
    types = [Envelope.from_bytes(r.value).type for r in outcomes]
    assert "survey.ComplaintRaisedDuringCallback" in types
    async with httpx.AsyncClient(base_url=servers.url("reporting"), timeout=20) as reporting:
        month = datetime.now(UTC).astimezone().strftime("%Y-%m")

        async def reopened_row() -> dict[str, Any] | None:
            r = await reporting.get(f"/summaries/complaints/{ESTATE}/{month}", headers=ADMIN)
            rows = (
                [row for row in r.json().get("rows", []) if row["complaint_id"] == "C-1"]
                if r.status_code == 200
                else []
            )
            return rows[0] if rows and rows[0]["reopenings"] == 1 else None

        # R-CB-10: dissatisfied → callback published ComplaintReopened; reporting counts the reopening.
        row = await wait_for(reopened_row, timeout_s=60, interval_s=0.5)
        assert row["reopenings"] == 1
        overview = (await reporting.get("/kpis/overview", headers=ADMIN)).json()
        kpis = next(e["kpis"] for e in overview["estates"] if e["estate_id"] == ESTATE)
        satisfaction = kpis["rates"]["callback_satisfaction"]
        assert (satisfaction["numerator"], satisfaction["denominator"]) == (0, 1)
