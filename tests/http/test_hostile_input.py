"""Hostile and careless input on all five services (issue 19, point 1): 4xx in problem+json naming the
field, never a 5xx, and no echo of the input beyond a few hundred characters."""

from __future__ import annotations

import importlib
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from huifang_infra.auth import Role
from huifang_infra.problems import MAX_ECHO_CHARS, PROBLEM_JSON

from tests.support.service import bearer, running_service, service_settings

pytestmark = pytest.mark.integration

#: service → (app factory, settings class), imported when a test runs.
SERVICES = {
    "intake": ("huifang_intake.bootstrap:create_app", "huifang_intake.config:IntakeSettings"),
    "callback": ("huifang_callback.entrypoints.api:create_app", "huifang_callback.config:CallbackSettings"),
    "dispatch": ("huifang_dispatch.entrypoints.api:create_app", "huifang_dispatch.config:DispatchSettings"),
    "survey": ("huifang_survey.entrypoints.api:create_app", "huifang_survey.config:SurveySettings"),
    "reporting": ("huifang_reporting.bootstrap:create_app", "huifang_reporting.config:ReportingSettings"),
}

GROUP = "G1"
NUL = "a%00b"


def _load(path: str) -> Any:
    module, _, name = path.partition(":")
    return getattr(importlib.import_module(module), name)


@asynccontextmanager
async def service(name: str, database_url: str, kafka_bootstrap: str, unique: str) -> AsyncIterator[httpx.AsyncClient]:
    factory, settings_class = (_load(path) for path in SERVICES[name])
    async with running_service(factory(service_settings(settings_class, database_url, kafka_bootstrap, unique))) as c:
        yield c


def string_parameters(spec: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any], list[dict[str, Any]]]]:
    """Every (method, path, parameter, all parameters) of the document whose parameter is a string."""
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            parameters = operation.get("parameters", [])
            for parameter in parameters:
                schema = parameter.get("schema", {})
                types = {schema.get("type")} | {s.get("type") for s in schema.get("anyOf", [])}
                if "string" in types and parameter["in"] in ("path", "query"):
                    yield method.upper(), path, parameter, parameters


def fields(response: httpx.Response) -> list[str]:
    return [e["field"] for e in response.json().get("errors", [])]


@pytest.mark.parametrize("name", list(SERVICES))
async def test_a_nul_character_in_any_path_or_query_value_is_a_422_naming_that_parameter(
    name: str, database_url: str, kafka_bootstrap: str, unique: str
) -> None:
    """PostgreSQL's text cannot hold U+0000: every string parameter of every operation is tried."""
    headers = bearer(Role.admin, GROUP, ["*"])
    answers = []
    async with service(name, database_url, kafka_bootstrap, unique) as client:
        spec = (await client.get("/openapi.json")).json()
        for method, path, parameter, parameters in string_parameters(spec):
            url = path
            for p in parameters:
                if p["in"] == "path":
                    url = url.replace("{" + p["name"] + "}", NUL if p is parameter else "x")
            if parameter["in"] == "query":
                url += f"?{parameter['name']}={NUL}"
            r = await client.request(method, url, headers=headers)
            answers.append((method, path, parameter["name"], r.status_code, r.headers.get("content-type")))
            if r.status_code == 422:
                answers[-1] += (fields(r),)
    assert len(answers) > 5
    wrong = [a for a in answers if a[3:] != (422, PROBLEM_JSON, [a[2]])]
    assert wrong == []


TARGET = "target_percent"
JSON = {"content-type": "application/json"}

CASES: dict[str, list[tuple[Role, str, str, Any, str]]] = {
    # role, method, url, JSON body (a str is sent as it is), the field the 422 names
    "intake": [
        (Role.receptionist, "GET", f"/orders?page={2**63}", None, "page"),
        (Role.receptionist, "GET", f"/complaints?page={2**63}", None, "page"),
        (Role.receptionist, "GET", "/complaints?estate_id=%00", None, "estate_id"),
        (Role.receptionist, "POST", "/complaints", {"estate_id": "E1", "description": "漏水\u0000"}, "description"),
    ],
    "callback": [
        (Role.office_manager, "GET", f"/callbacks?offset={2**63}", None, "offset"),
        (Role.office_manager, "POST", "/samples/draw", {"estate_id": "E1", "month": "0000-01"}, "month"),
        (Role.office_manager, "POST", "/samples/draw", {"estate_id": "E1", "month": "9999-12"}, "month"),
        (Role.office_manager, "GET", "/samples?month=0000-01", None, "month"),
        (Role.office_manager, "GET", "/callbacks?due_from=2026-12-01T10:00:00", None, "due_from"),
        (Role.office_manager, "GET", "/callbacks?due_to=2026-12-01T10:00:00", None, "due_to"),
    ],
    "dispatch": [
        (Role.office_manager, "PUT", "/rosters", {"estate_id": "E1", "month": "0000-01", "shifts": {}}, "month"),
        (Role.office_manager, "PUT", "/rosters", {"estate_id": "E1", "month": "9999-12", "shifts": {}}, "month"),
        (
            Role.office_manager,
            "PUT",
            "/rosters",
            {"estate_id": "E1", "month": "2026-01", "shifts": {"2026-01-01": ["s\u0000"]}},
            "shifts.2026-01-01[0]",
        ),
    ],
    "survey": [
        (
            Role.office_manager,
            "POST",
            "/campaigns",
            {
                "estate_ids": [""],
                "title": "季度回访",
                "kind": "quarterly_callback",
                "channels": ["door"],
                "opens_at": "2026-01-01T00:00:00Z",
            },
            "estate_ids[0]",
        ),
    ],
    "reporting": [
        (Role.quality_dept, "PUT", "/targets", '{"metric": "timeliness", "target_percent": Infinity}', TARGET),
        (Role.quality_dept, "PUT", "/targets", '{"metric": "timeliness", "target_percent": NaN}', TARGET),
        (Role.quality_dept, "PUT", "/targets", '{"metric": "timeliness", "target_percent": 1e999}', TARGET),
    ],
}


@pytest.mark.parametrize("name", list(CASES))
async def test_out_of_range_values_are_a_422_naming_the_field(
    name: str, database_url: str, kafka_bootstrap: str, unique: str
) -> None:
    """The listed 500s: 2^63 pages and offsets, year 0000 and 9999-12 months, naive timestamps, an empty
    estate id, Infinity and NaN, a NUL in a body."""
    answers = []
    async with service(name, database_url, kafka_bootstrap, unique) as client:
        for role, method, url, body, field in CASES[name]:
            headers = bearer(role, GROUP, ["*"], sub="s1")
            if isinstance(body, str):
                r = await client.request(method, url, content=body, headers=headers | JSON)
            else:
                r = await client.request(method, url, json=body, headers=headers)
            answers.append((url, field, r.status_code, r.headers.get("content-type"), field in fields(r)))
    assert [a for a in answers if a[2:] != (422, PROBLEM_JSON, True)] == []


async def test_reporting_refuses_a_huge_comment_in_problem_json_without_echoing_it(
    database_url: str, kafka_bootstrap: str, unique: str
) -> None:
    comment = "很好" * 5_000_000  # 10 million characters
    async with service("reporting", database_url, kafka_bootstrap, unique) as client:
        r = await client.put(
            "/summaries/complaints/E1/2026-01/comment",
            json={"comment": comment},
            headers=bearer(Role.office_manager, GROUP, ["*"]),
        )
    assert (r.status_code, r.headers["content-type"], fields(r)) == (422, PROBLEM_JSON, ["comment"])
    assert len(r.content) < 4 * MAX_ECHO_CHARS
