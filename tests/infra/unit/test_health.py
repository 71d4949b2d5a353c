"""`/healthz`, `/readyz`, `/metrics` and the `Metrics` registry (issue 4, item 13)."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from huifang_infra.health import Check, consumer_check, health_router
from huifang_infra.metrics import Metrics, refresh_every
from prometheus_client.parser import text_string_to_metric_families

pytestmark = pytest.mark.unit


def returns(value: bool) -> Check:
    async def check() -> bool:
        return value

    return check


async def raises() -> bool:
    raise ConnectionRefusedError("database away")


async def hangs() -> bool:
    await asyncio.sleep(60)
    return True


async def get(checks: Mapping[str, Check], path: str, metrics: Metrics | None = None) -> tuple[int, object]:
    app = FastAPI()
    app.include_router(health_router(checks, registry=(metrics or Metrics()).registry, timeout_s=0.2))
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://test") as client:
        response = await client.get(path)
    is_json = response.headers["content-type"].startswith("application/json")
    return response.status_code, response.json() if is_json else response.text


async def test_healthz_is_ok_even_when_dependencies_are_down() -> None:
    assert await get({"database": returns(False)}, "/healthz") == (200, {"status": "ok"})


async def test_readyz_is_200_when_every_check_passes() -> None:
    status, body = await get({"database": returns(True), "kafka": returns(True)}, "/readyz")
    assert (status, body) == (200, {"status": "ok", "checks": {"database": "ok", "kafka": "ok"}})


async def test_readyz_is_503_naming_the_failing_checks() -> None:
    checks = {"database": returns(True), "kafka": returns(False), "consumer": raises, "slow": hangs}
    status, body = await get(checks, "/readyz")
    assert status == 503
    assert body == {
        "status": "unavailable",
        "failing": ["kafka", "consumer", "slow"],
        "checks": {"database": "ok", "kafka": "failing", "consumer": "failing", "slow": "failing"},
    }


async def test_readyz_without_checks_is_ready() -> None:
    assert (await get({}, "/readyz"))[0] == 200


@dataclass
class FakeConsumer:
    assigned: bool


async def test_the_consumer_check_follows_the_assignment() -> None:
    consumer = FakeConsumer(assigned=False)
    check = consumer_check(consumer)
    assert await check() is False
    consumer.assigned = True
    assert await check() is True


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


async def test_metrics_exposes_what_the_consumer_and_relay_report() -> None:
    metrics = Metrics()
    metrics.processed_by("callback")("intake.OrderClosed")
    metrics.processed_by("callback")("intake.OrderClosed")
    metrics.dead_lettered_by("callback")("undecodable")
    metrics.record_published(3)
    metrics.outbox_backlog.set(7)
    metrics.set_consumer_lag("callback", {("intake.orders", 0): 5})

    status, text = await get({}, "/metrics", metrics)
    assert status == 200
    found = samples(str(text))
    assert found[("events_processed_total", (("consumer", "callback"), ("event_type", "intake.OrderClosed")))] == 2
    assert found[("events_dead_lettered_total", (("consumer", "callback"), ("reason", "undecodable")))] == 1
    assert found[("outbox_published_total", ())] == 3
    assert found[("outbox_backlog", ())] == 7
    assert found[("consumer_lag", (("consumer", "callback"), ("partition", "0"), ("topic", "intake.orders")))] == 5
    assert any(name.startswith("process_") for name, _ in found)


def test_lag_of_a_partition_no_longer_held_disappears() -> None:
    metrics = Metrics(process_collectors=False)
    metrics.set_consumer_lag("callback", {("intake.orders", 0): 5, ("intake.orders", 1): 2})
    metrics.set_consumer_lag("callback", {("intake.orders", 1): 0})
    lag = {k: v for k, v in samples(metrics.exposition().decode()).items() if k[0] == "consumer_lag"}
    assert lag == {("consumer_lag", (("consumer", "callback"), ("partition", "1"), ("topic", "intake.orders"))): 0}


def test_two_apps_in_one_process_have_separate_registries() -> None:
    first, second = Metrics(), Metrics()  # the default registry would refuse the second set of names
    first.record_published(1)
    assert samples(second.exposition().decode())[("outbox_published_total", ())] == 0


async def test_a_failing_refresh_does_not_end_the_refresh_loop() -> None:
    stop, calls = asyncio.Event(), list[int]()

    async def refresh() -> None:
        calls.append(len(calls))
        if len(calls) == 1:
            raise ConnectionRefusedError("database away")
        if len(calls) == 3:
            stop.set()

    await asyncio.wait_for(refresh_every(stop, 0.01, refresh), 5)
    assert calls == [0, 1, 2]
