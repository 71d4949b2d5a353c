"""The queue page with 200 callbacks in it: time from reload to the rendered queue (issue 11: < 1 s).

Prints the figures and writes them to tests/artifacts/console-queue-load.txt. Run alone with
`uv run pytest -q -s tests/console/browser/test_queue_load.py`.
"""

from __future__ import annotations

import statistics
import time
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from huifang_contracts.enums import StaffRole
from playwright.async_api import async_playwright

from tests.console.browser.servers import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, serving
from tests.console.browser.stories import builder
from tests.console.browser.test_console_flow import ADMIN, PHONE, add_staff, sign_in
from tests.dispatch.support import due, estate_registered, messages, scheduled
from tests.support.backbone import wait_for
from tests.support.kafka import produce

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="the machine's chromium is not installed"),
]

ITEMS = 200
RUNS = 7
TARGET_S = 1.0  # issue 11: the target reported; the assertion guards regressions on a shared machine
GUARD_S = 2.0


async def test_queue_of_200_loads_within_a_second(admin_database_url: str, kafka_bootstrap: str, unique: str) -> None:
    async with serving(admin_database_url, unique, ["dispatch"], builder(kafka_bootstrap)) as servers:
        base = servers.url("dispatch")
        now = datetime.now(UTC).replace(microsecond=0)
        async with httpx.AsyncClient(base_url=base, timeout=20) as client:
            await add_staff(client, "r1", "receptionist", name="前台甲")
            # Overdue, due today and upcoming alike: deadlines from 2 days ago to 6 days ahead.
            plans = [
                scheduled(f"cb{i:03d}", "E1", role=StaffRole.RECEPTIONIST, due_at=now - timedelta(days=3),
                          deadline=now + timedelta(hours=i % 9 * 24 - 48))
                for i in range(ITEMS)
            ]  # fmt: skip
            topic = servers.apps["dispatch"].state.runtime.catalogue.topic_for("callback.CallbackDue")
            await produce(kafka_bootstrap, topic, messages(estate_registered("E1", now), *plans, *map(due, plans)))

            async def all_assigned() -> bool:
                staff = (await client.get("/staff/r1", headers=ADMIN)).json()
                return bool(staff["open_load"] == ITEMS)

            await wait_for(all_assigned, timeout_s=120)

        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
            try:
                page = await (await browser.new_context(viewport=PHONE, is_mobile=True)).new_page()
                await sign_in(page, base, "r1")
                timings = []
                for _ in range(RUNS):
                    started = time.perf_counter()
                    await page.reload()
                    await page.wait_for_selector("body[data-screen=queue][data-loaded=true]", state="attached")
                    timings.append(time.perf_counter() - started)
                cards = await page.locator("article[data-callback-id]").count()
                navigation = await page.evaluate(
                    """JSON.stringify(performance.getEntriesByType('resource').map(
                        (r) => [r.name.split('/').pop(), Math.round(r.startTime), Math.round(r.duration)]))"""
                )
            finally:
                await browser.close()
    assert cards == ITEMS
    median = statistics.median(timings)
    report = (
        f"console queue page, {ITEMS} items, {RUNS} reloads (phone viewport, headless chromium): "
        f"median {median * 1000:.0f} ms, min {min(timings) * 1000:.0f} ms, max {max(timings) * 1000:.0f} ms\n"
    )
    print(report)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "console-queue-load.txt").write_text(report + navigation + "\n", encoding="utf-8")
    print(f"target {TARGET_S} s: {'met' if median < TARGET_S else 'missed'}")
    assert median < GUARD_S, report
