"""The dashboard in headless Chromium, and the summaries' exports (R-RP-3, R-RP-4).

The app runs under uvicorn on a free port (the real lifespan: consumer, relay, loops); Playwright
drives the machine's Chromium (never a downloaded one). Numbers on the page must equal the API's.
"""

from __future__ import annotations

import asyncio
import csv
import io
from pathlib import Path

import httpx
import pytest
import uvicorn
from huifang_infra.auth import Role
from huifang_reporting.bootstrap import create_app
from openpyxl import load_workbook
from playwright.async_api import async_playwright

from tests.reporting import scenario
from tests.reporting.support import FakeClock, feed, projected, reporting_settings
from tests.support.ports import free_port
from tests.support.service import bearer

pytestmark = pytest.mark.integration

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
QUALITY = bearer(Role.quality_dept, "G1", ["*"])


@pytest.mark.skipif(not CHROMIUM.exists(), reason="the machine's chromium is not installed")
async def test_dashboard_and_exports(database_url: str, kafka_bootstrap: str, unique: str) -> None:
    port = free_port()
    settings = reporting_settings(database_url, kafka_bootstrap, unique, http_port=port)
    app = create_app(settings, FakeClock(scenario.at("2026-02-20T00:00:00")))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    serving = asyncio.create_task(server.serve())
    base = f"http://127.0.0.1:{port}"
    try:
        while not server.started:  # noqa: ASYNC110 (uvicorn exposes a flag, not an event)
            await asyncio.sleep(0.1)
        events = scenario.events()
        await feed(app.state.runtime, kafka_bootstrap, events)
        await projected(app.state.runtime, len(events))
        async with httpx.AsyncClient(base_url=base, headers=QUALITY) as client:
            await _exports(client)
            overview = (await client.get("/kpis/overview", params={"from": "2026-01", "to": "2026-02"})).json()
        await _browser(base, overview)
    finally:
        server.should_exit = True
        await serving


async def _exports(client: httpx.AsyncClient) -> None:
    manager = bearer(Role.office_manager, "G1", ["E1"])
    put = await client.put(
        "/summaries/complaints/E1/2026-02/comment", json={"comment": "加强水暖巡检"}, headers=manager
    )
    assert put.status_code == 200, put.text
    summary = (await client.get("/summaries/complaints/E1/2026-02")).json()
    assert summary["title"] == "投诉调度记录月总结表"
    assert summary["manager_comment"]["comment"] == "加强水暖巡检"
    assert [r["complaint_id"] for r in summary["rows"]] == ["K1", "K2"]
    assert summary["kpis"]["rates"]["complaint_satisfaction"]["numerator"] == 1

    xlsx = await client.get("/summaries/callbacks/E1/2026-02", params={"format": "xlsx"})
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    assert sheet["A1"].value.startswith("回访记录汇总表")
    assert [c.value for c in sheet[3]][:4] == ["序号", "回访单号", "回访类型", "责任部门"]
    data = [[c.value for c in row] for row in sheet.iter_rows(min_row=5)]
    assert [row[1] for row in data] == ["cb1", "cb2", "cb3", "cb4"]  # cb1 is due 1 Feb local
    assert [row[9] for row in data] == ["已回访", "已回访", "已回访", "未成功"]

    text = (await client.get("/summaries/quarterly/E1/2026-Q1", params={"format": "csv"})).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:5] == ["月份", "应回访", "已回访", "满意及一般", "回访满意率"]
    # January: cb5 1/1; February: 3 completed of 4 required, 2 satisfied; quarter: 4 completed, 3 satisfied
    assert rows[1][:5] == ["2026-01", "1", "1", "1", "100.00%"]
    assert rows[2][:5] == ["2026-02", "4", "3", "2", "66.67%"]
    assert rows[4][:5] == ["合计", "5", "4", "3", "75.00%"]


async def _browser(base: str, overview: dict) -> None:  # type: ignore[type-arg]
    token = QUALITY["Authorization"].removeprefix("Bearer ")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            page = await browser.new_page(viewport={"width": 1200, "height": 1100})
            await page.goto(f"{base}/dashboard?token={token}&from=2026-01&to=2026-02")
            await page.wait_for_selector("body[data-loaded=true]", state="attached", timeout=20000)
            assert await page.inner_text("h1") == "回访报表看板"
            for estate in overview["estates"]:
                row = page.locator(f"#overview tr[data-estate={estate['estate_id']}]")
                r = estate["kpis"]["rates"]["callback_satisfaction"]
                expected = f"{r['percent']:.2f}% ({r['numerator']}/{r['denominator']})"
                assert await row.locator("td[data-metric=callback_satisfaction]").inner_text() == expected
            assert "below" in (await page.get_attribute("#overview tr[data-estate=E1]", "class") or "")
            # the chart rendered: ECharts drew a canvas with the trend's series
            assert await page.locator("#trend-chart canvas").count() >= 1
            series = await page.evaluate("window.__trendChart.getOption().series.length")
            assert series == 5
            # drill-down estate → department → staff
            await page.click("#overview tr[data-estate=E1]")
            await page.wait_for_selector("#departments tr[data-key=engineering]")
            await page.click("#departments tr[data-key=engineering]")
            await page.wait_for_selector("#staff tbody tr")
            assert "张三" in await page.inner_text("#staff")
            assert await page.locator("#exports a").count() == 6
            await page.screenshot(path=str(ARTIFACTS / "reporting-dashboard.png"), full_page=True)
            english = await browser.new_page()
            await english.goto(f"{base}/dashboard?lang=en&token={token}&from=2026-01&to=2026-02")
            await english.wait_for_selector("body[data-loaded=true]", state="attached", timeout=20000)
            assert await english.inner_text("h1") == "Callback reporting dashboard"
        finally:
            await browser.close()
