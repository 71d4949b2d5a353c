"""The web workspace's dashboard (`/app/dashboard/`) in Debian's Chromium at 1440 × 900 and 375 × 812.

Every figure on the page must be the API's for the period shown: the group total row, every rate of
every estate with its numerator and denominator, the definition and target on hover, below-target
marking (R-SV-5), and a drill estate → department → staff that follows the period when the months change.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from huifang_infra.auth import Role
from huifang_reporting.config import ReportingSettings
from playwright.async_api import Page, async_playwright, expect

from tests.reporting.browser.serving import ARGS, ARTIFACTS, CHROMIUM, reporting_with_scenario
from tests.support.service import bearer

pytestmark = pytest.mark.integration

QUALITY = bearer(Role.quality_dept, "G1", ["*"])
TOKEN = QUALITY["Authorization"].removeprefix("Bearer ")
METRICS = [
    "overall_satisfaction",
    "callback_satisfaction",
    "complaint_satisfaction",
    "timeliness",
    "success_rate",
    "coverage",
    "return_rate",
]
DRILL_METRICS = ["callback_satisfaction", "complaint_satisfaction", "timeliness", "success_rate", "coverage"]
#: codes the API answers with that must never reach the reader as they are
RAW_CODES = [*METRICS, "engineering", "cleaning", "undefined", "null", "NaN"]
DIST = ReportingSettings.model_fields["web_assets_dir"].default / "dist" / "dashboard" / "index.html"


def shown(ratio: dict[str, Any]) -> str:
    percent = "—" if ratio["percent"] is None else f"{ratio['percent']:.2f}%"
    return f"{percent}\n{ratio['numerator']}/{ratio['denominator']}"


async def cell_text(page: Page, row: str, metric: str) -> str:
    """The percent and numerator/denominator one cell shows, one per line."""
    text = await page.locator(f'[data-row="{row}"][data-metric="{metric}"]').first.inner_text()
    return re.sub(r"\s*\n\s*", "\n", text.strip())


async def loaded(page: Page) -> None:
    await page.wait_for_selector("body[data-loaded=true]", state="attached", timeout=20000)


async def assert_no_raw_codes(page: Page) -> None:
    text = await page.inner_text("body")
    for code in RAW_CODES:
        assert code not in text, f"{code!r} shown as it is"


@pytest.mark.skipif(not CHROMIUM.exists(), reason="the machine's chromium is not installed")
async def test_dashboard_figures_targets_and_drill_follow_the_period(
    database_url: str, kafka_bootstrap: str, unique: str
) -> None:
    assert DIST.is_file(), "the web workspace is not built: make install"
    async with (
        reporting_with_scenario(database_url, kafka_bootstrap, unique) as (base, _app),
        httpx.AsyncClient(base_url=base, headers=QUALITY) as api,
    ):
        put = await api.put(
            "/targets", json={"estate_id": "*", "metric": "callback_satisfaction", "target_percent": 90}
        )
        assert put.status_code == 200, put.text

        async def answer(path: str, **params: str) -> Any:
            got = await api.get(path, params=params)
            assert got.status_code == 200, got.text
            return got.json()

        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
            try:
                desk = await browser.new_page(viewport={"width": 1440, "height": 900})
                await _desktop(desk, base, answer)
                phone = await browser.new_page(viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True)
                await _phone(phone, base, answer)
            finally:
                await browser.close()


async def _desktop(page: Page, base: str, answer: Any) -> None:
    await page.goto(f"{base}/app/dashboard/?token={TOKEN}&from=2026-01&to=2026-02")
    await loaded(page)
    assert await page.inner_text("h1") == "回访报表看板"
    assert "token=" not in page.url  # the token is kept in the tab, not left in the address bar
    overview = await answer("/kpis/overview", **{"from": "2026-01", "to": "2026-02"})

    # the group total row first, every rate with numerator / denominator; 3/4 < the group's 90 % target
    for metric in METRICS:
        assert await cell_text(page, "group", metric) == shown(overview["group"]["rates"][metric])
    assert await page.get_attribute('[data-row="group"][data-metric="callback_satisfaction"]', "data-below") == "true"
    first_row = page.locator("#overview tbody tr").first
    assert "集团合计" in await first_row.inner_text()
    for estate in overview["estates"]:
        for metric in METRICS:
            assert await cell_text(page, estate["estate_id"], metric) == shown(estate["kpis"]["rates"][metric])
    # R-SV-5: E1's callback satisfaction 2/3 is below 90 %, E2's 1/1 is not
    assert await page.get_attribute('[data-row="E1"][data-metric="callback_satisfaction"]', "data-below") == "true"
    assert await page.get_attribute('[data-row="E2"][data-metric="callback_satisfaction"]', "data-below") is None
    assert "低于目标" in await page.locator("#overview tbody tr", has_text="E1花园").inner_text()

    # hover: what the numerator and denominator count, and the target
    await page.hover('[data-row="E1"][data-metric="callback_satisfaction"]')
    tip = page.locator('[data-tip="E1:callback_satisfaction"]')
    await expect(tip).to_be_visible()
    words = overview["definitions"]["callback_satisfaction"]
    text = await tip.inner_text()
    assert "回访满意率" in text and words["numerator"]["zh"] in text and words["denominator"]["zh"] in text
    assert "目标 90.00%" in text and "低于目标" in text

    # the trend: every rate drawn, one point per month
    assert await page.locator(".trend canvas").count() >= 1
    assert await page.get_attribute(".trend", "data-series") == "7"
    assert await page.get_attribute(".trend", "data-months") == "2"
    await assert_no_raw_codes(page)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / "web-dashboard-1440.png"), full_page=True)

    # the month picker, typed in Chinese: February alone
    await page.fill("#period-from", "2026年2月")
    await page.press("#period-from", "Enter")
    await page.wait_for_url(re.compile(r"from=2026-02"))
    await loaded(page)
    february = await answer("/kpis/overview", **{"from": "2026-02", "to": "2026-02"})
    assert await cell_text(page, "group", "callback_satisfaction") == shown(
        february["group"]["rates"]["callback_satisfaction"]
    )

    # drill by keyboard: the estate's departments for the period shown
    await page.focus('[data-drill="E1"]')
    await page.keyboard.press("Enter")
    await page.wait_for_selector('[data-screen="estate"]')
    await loaded(page)
    assert "from=2026-02" in page.url and "to=2026-02" in page.url
    await _departments_match(
        page, await answer("/kpis/estates/E1", by="department", **{"from": "2026-02", "to": "2026-02"})
    )
    assert "工程部" in await page.inner_text("#departments") and "保洁部" in await page.inner_text("#departments")

    # the months change: the drill follows (January adds cb5, a cleaning callback)
    await page.fill("#period-from", "2026年1月")
    await page.press("#period-from", "Enter")
    await page.wait_for_url(re.compile(r"from=2026-01"))
    await loaded(page)
    both = await answer("/kpis/estates/E1", by="department", **{"from": "2026-01", "to": "2026-02"})
    feb_only = await answer("/kpis/estates/E1", by="department", **{"from": "2026-02", "to": "2026-02"})
    assert both != feb_only  # the two periods differ, so a stale table would show
    await _departments_match(page, both)

    # the estate's complaints of the period, named by the label catalogue; its corrective actions
    counted = await answer("/kpis/complaints", estate_id="E1", **{"from": "2026-01", "to": "2026-02"})
    assert await page.inner_text('[data-count="received"]') == str(counted["received"])
    assert await page.inner_text('[data-count="grade-important"]') == str(counted["grade"]["important"])
    details = await page.inner_text('[data-section="complaints"]')
    assert "等级 · 重要" in details and "有效性 · 协调" in details
    actions = [a for a in (await answer("/corrective-actions"))["actions"] if a["estate_id"] == "E1"]
    if not actions:
        assert "本期间无整改通知" in await page.inner_text('[data-section="actions"]')

    # exports name their period
    exports = page.locator("[data-export]")
    assert await exports.count() == 6
    assert "回访记录汇总表 · 2026年2月（XLSX）" in await page.inner_text(".exports")
    assert "回访报告表 · 2026年第1季度（CSV）" in await page.inner_text(".exports")
    await assert_no_raw_codes(page)

    await page.screenshot(path=str(ARTIFACTS / "web-dashboard-estate-1440.png"), full_page=True)

    # estate → department → staff
    await page.click('[data-drill="engineering"]')
    await page.wait_for_selector('[data-screen="department"]')
    await loaded(page)
    assert "张三" in await page.inner_text("#staff")
    await assert_no_raw_codes(page)

    # English on the switch
    await page.click("button.lang")
    assert await page.inner_text("h1") == "Callback reporting dashboard"
    assert "Engineering" in await page.inner_text("h2")


async def _departments_match(page: Page, drill: dict[str, Any]) -> None:
    assert drill["rows"], "the scenario has departments"
    for row in drill["rows"]:
        for metric in DRILL_METRICS:
            assert await cell_text(page, row["key"], metric) == shown(row["rates"][metric]), (row["key"], metric)


async def _phone(page: Page, base: str, answer: Any) -> None:
    await page.goto(f"{base}/app/dashboard/?token={TOKEN}&from=2026-01&to=2026-02")
    await loaded(page)
    overview = await answer("/kpis/overview", **{"from": "2026-01", "to": "2026-02"})
    # nothing wider than the phone: the table scrolls inside its box, the page does not
    assert await page.evaluate("document.documentElement.scrollWidth") <= 375
    await expect(page.locator("h1")).to_be_in_viewport()
    group = page.locator('[data-row="group"][data-metric="overall_satisfaction"]').first
    await expect(group).to_be_visible()
    assert await cell_text(page, "group", "overall_satisfaction") == shown(
        overview["group"]["rates"]["overall_satisfaction"]
    )
    # a tap shows what the figure counts
    await group.tap()
    await expect(page.locator('[data-tip="group:overall_satisfaction"]')).to_be_visible()
    assert await page.locator(".trend canvas").count() >= 1
    box = await page.locator(".trend").bounding_box()
    assert box is not None and box["width"] <= 375
    await page.screenshot(path=str(ARTIFACTS / "web-dashboard-375.png"), full_page=True)
