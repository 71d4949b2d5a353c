"""The staff console and the residents' pages (issue 19, point 1): a CSP allowing only their own
scripts and styles and the nonce'd inline block, no framing, no referrer, no caching."""

from __future__ import annotations

import re

import pytest
from huifang_dispatch.config import DispatchSettings
from huifang_dispatch.entrypoints.api import create_app as dispatch_app
from huifang_survey.config import SurveySettings
from huifang_survey.entrypoints.api import create_app as survey_app

from tests.support.service import running_service, service_settings

pytestmark = pytest.mark.integration


def directives(policy: str) -> dict[str, list[str]]:
    return {name: values for name, *values in (part.split() for part in policy.split(";"))}


def nonce_of(html: str, tag: str) -> str:
    found = re.search(rf'<{tag} nonce="([^"]+)">', html)
    assert found is not None, f"no nonce'd <{tag}> in the page"
    return found.group(1)


async def test_the_console_may_run_only_its_own_scripts_and_call_only_the_services_apis(
    database_url: str, kafka_bootstrap: str, unique: str
) -> None:
    settings = service_settings(
        DispatchSettings, database_url, kafka_bootstrap, unique, console_survey_url="http://127.0.0.1:8004/"
    )
    async with running_service(dispatch_app(settings)) as client:
        first, second = await client.get("/console"), await client.get("/console")
    policy = directives(first.headers["content-security-policy"])
    nonce = nonce_of(first.text, "script")
    assert policy["script-src"] == ["'self'", f"'nonce-{nonce}'"]
    assert policy["default-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert "http://127.0.0.1:8004" in policy["connect-src"]
    assert nonce_of(second.text, "script") != nonce  # one per response
    assert (first.headers["referrer-policy"], first.headers["cache-control"]) == ("no-referrer", "no-store")
    assert first.headers["x-frame-options"] == "DENY"


async def test_a_residents_page_keeps_its_token_to_itself_and_cannot_be_framed(
    database_url: str, kafka_bootstrap: str, unique: str
) -> None:
    settings = service_settings(SurveySettings, database_url, kafka_bootstrap, unique)
    async with running_service(survey_app(settings)) as client:
        page = await client.get("/s/tok-unknown")
    policy = directives(page.headers["content-security-policy"])
    assert page.status_code == 404  # the page saying the link is unknown, a page like the others
    assert policy["style-src"] == ["'self'", f"'nonce-{nonce_of(page.text, 'style')}'"]
    assert policy["script-src"][0] == "'self'" and policy["frame-ancestors"] == ["'none'"]
    assert (page.headers["referrer-policy"], page.headers["cache-control"]) == ("no-referrer", "no-store")
