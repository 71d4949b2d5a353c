"""The service app's browser access: CORS only for the configured origins (the console calls survey)."""

from __future__ import annotations

from typing import Any, cast

import httpx
import pytest
from huifang_contracts.topics import Service
from huifang_infra.runtime import ServiceRuntime, create_service_app
from huifang_infra.settings import ServiceSettings

pytestmark = pytest.mark.unit

CONSOLE = "http://127.0.0.1:8003"


class SurveyLike(ServiceSettings):
    service_name: str = "survey"


def preflight(origin: str) -> httpx.Request:
    return httpx.Request(
        "OPTIONS",
        "http://survey.test/callbacks/C1/records",
        headers={"Origin": origin, "Access-Control-Request-Method": "POST"},
    )


@pytest.mark.parametrize(
    ("configured", "origin", "allowed"),
    [(CONSOLE, CONSOLE, True), ("", CONSOLE, False), (CONSOLE, "http://evil.test", False)],
)
async def test_only_configured_origins_may_call_from_a_browser(configured: str, origin: str, allowed: bool) -> None:
    settings = SurveyLike(database_url="postgresql://unused/db", cors_allow_origins=configured)
    app = create_service_app(ServiceRuntime(settings, Service.SURVEY), title="t")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app)) as client:
        response = await client.send(preflight(origin))
    assert (response.headers.get("access-control-allow-origin") == origin) is allowed


@pytest.mark.parametrize(("workers", "member"), [(1, "survey-1"), (3, None)])
def test_the_static_consumer_id_is_used_only_by_a_single_process(workers: int, member: str | None) -> None:
    """Several uvicorn workers sharing one instance id would fence each other out of the group."""
    settings = SurveyLike(database_url="postgresql://unused/db", consumer_instance_id="survey-1", http_workers=workers)
    runtime = ServiceRuntime(settings, Service.SURVEY, handlers={"t": _ignore})
    runtime.pool, runtime.producer = cast(Any, "no pool: nothing connects"), cast(Any, "no producer")
    consumer = runtime._new_consumer()
    assert consumer.group_instance_id == member


async def _ignore(*_: object) -> None:
    return None
