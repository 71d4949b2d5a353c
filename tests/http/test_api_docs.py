"""Every service's `/docs` works without internet (issue 20, point 7): the page names only the service's
own URLs, and each answers 200 with the built Swagger UI; `/redoc`, a CDN page, is gone. The web
dashboard's page likewise loads only files its service answers."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from huifang_callback.config import CallbackSettings
from huifang_callback.entrypoints.api import create_app as callback_app
from huifang_dispatch.config import DispatchSettings
from huifang_dispatch.entrypoints.api import create_app as dispatch_app
from huifang_infra.api_docs import ASSETS, assets_dir
from huifang_intake.bootstrap import create_app as intake_app
from huifang_intake.config import IntakeSettings
from huifang_reporting.bootstrap import create_app as reporting_app
from huifang_reporting.config import ReportingSettings
from huifang_survey.config import SurveySettings
from huifang_survey.entrypoints.api import create_app as survey_app

from tests.support.service import service_settings

pytestmark = pytest.mark.integration

#: nothing is started: the apps are built and asked for pages and files only, never run
NOWHERE = "postgresql://postgres@127.0.0.1:9/none", "127.0.0.1:9"
SERVICES: dict[str, tuple[Callable[[Any], FastAPI], type[Any]]] = {
    "intake": (intake_app, IntakeSettings),
    "callback": (callback_app, CallbackSettings),
    "dispatch": (dispatch_app, DispatchSettings),
    "survey": (survey_app, SurveySettings),
    "reporting": (reporting_app, ReportingSettings),
}
URL_IN_PAGE = re.compile(r"""(?:src|href|url)\s*[=:]\s*['"]([^'"]+)['"]""")


def client_of(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://svc")


def page_urls(html: str) -> list[str]:
    return URL_IN_PAGE.findall(html)


@pytest.mark.parametrize("service", list(SERVICES))
async def test_docs_load_only_the_services_own_swagger_ui_files(service: str) -> None:
    assert all((assets_dir() / name).is_file() for name in ASSETS), "Swagger UI is not built: make install"
    factory, settings_class = SERVICES[service]
    app = factory(service_settings(settings_class, *NOWHERE, "docs"))
    async with client_of(app) as client:
        page = await client.get("/docs")
        assert page.status_code == 200
        urls = page_urls(page.text)
        assert "/docs/assets/swagger-ui-bundle.js" in urls and "/openapi.json" in urls
        assert all(u.startswith("/") and not u.startswith("//") for u in urls), urls
        for url in urls:
            if url == "/openapi.json":
                continue
            answer = await client.get(url)
            assert answer.status_code == 200, url
            assert answer.content and answer.headers["content-type"].split(";")[0] == ASSETS[url.rsplit("/", 1)[1]]
        assert (await client.get("/docs/assets/package.json")).status_code == 404  # only the page's files
        assert (await client.get("/redoc")).status_code == 404
        assert (await client.get("/openapi.json")).json()["info"]["title"]


async def test_the_web_dashboard_loads_only_files_reporting_answers() -> None:
    app = reporting_app(service_settings(ReportingSettings, *NOWHERE, "web"))
    async with client_of(app) as client:
        page = await client.get("/app/dashboard/estates/E1?from=2026-01&to=2026-02")  # a route of the app
        assert page.status_code == 200, "the web workspace is not built: make install"
        assert "default-src 'self'" in page.headers["content-security-policy"]
        urls = page_urls(page.text)
        assert any(u.endswith(".js") for u in urls) and any(u.endswith(".css") for u in urls)
        for url in urls:
            assert url.startswith("/app/assets/"), url
            answer = await client.get(url)
            assert answer.status_code == 200, url
            assert "immutable" in answer.headers["cache-control"]
        assert (await client.get("/app/assets/..%2F..%2Fpackage.json")).status_code == 404
