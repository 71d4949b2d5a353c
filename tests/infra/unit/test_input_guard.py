"""The NUL guard every service app runs (issue 19, point 1): PostgreSQL's text cannot hold U+0000, so a
NUL anywhere in a request is a 422 naming the field, before any route or query sees it."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi import Depends, FastAPI, Request
from httpx import ASGITransport, AsyncClient
from huifang_infra.input_guard import NUL_REASON, refuse_nul_characters
from huifang_infra.problems import PROBLEM_JSON, install_base_problem_handlers
from pydantic import BaseModel

pytestmark = pytest.mark.unit


class Shift(BaseModel):
    people: list[str]
    note: dict[str, str] = {}


def guarded() -> FastAPI:
    app = FastAPI(dependencies=[Depends(refuse_nul_characters)])
    install_base_problem_handlers(app)

    @app.get("/estates/{estate_id}")
    async def estate(estate_id: str, department: str | None = None) -> dict[str, Any]:
        return {"estate_id": estate_id, "department": department}

    @app.post("/shifts")
    async def shifts(body: Shift) -> dict[str, Any]:
        return body.model_dump()

    @app.post("/answers")
    async def answers(request: Request) -> dict[str, Any]:
        return dict((await request.form()).items())

    return app


async def call(method: str, url: str, **kwargs: Any) -> tuple[int, str, Any]:
    async with AsyncClient(transport=ASGITransport(app=guarded()), base_url="http://test") as client:
        r = await client.request(method, url, **kwargs)
        return r.status_code, r.headers["content-type"], r.json()


def refused(*fields: str) -> tuple[int, str, list[dict[str, str]]]:
    return 422, PROBLEM_JSON, [{"field": f, "reason": NUL_REASON} for f in fields]


def errors(answer: tuple[int, str, Any]) -> tuple[int, str, Any]:
    status, kind, body = answer
    return status, kind, body.get("errors") if isinstance(body, dict) else body


async def test_a_nul_in_a_path_value_names_the_path_parameter() -> None:
    assert errors(await call("GET", "/estates/E%001")) == refused("estate_id")


async def test_a_nul_in_a_query_value_names_the_query_parameter() -> None:
    assert errors(await call("GET", "/estates/E1?department=%00")) == refused("department")


async def test_a_nul_in_a_json_body_names_its_path_in_the_document() -> None:
    body = json.dumps({"people": ["lt-1", "lt\u00002"], "note": {"why": "\u0000"}})
    answer = await call("POST", "/shifts", content=body, headers={"content-type": "application/json"})
    assert errors(answer) == refused("people[1]", "note.why")


async def test_a_nul_in_a_form_field_names_the_field() -> None:
    answer = await call("POST", "/answers", data={"overall": "满意", "comment": "a\x00b"})
    assert errors(answer) == refused("comment")


async def test_requests_without_nul_reach_the_route_with_their_body_intact() -> None:
    text = json.dumps({"people": ["a\\u0000b"]})  # a backslash, then the six characters "u0000"
    shift = await call("POST", "/shifts", content=text, headers={"content-type": "application/json"})
    form = await call("POST", "/answers", data={"overall": "满意"})
    assert await call("GET", "/estates/E1?department=eng") == (
        200, "application/json", {"estate_id": "E1", "department": "eng"}
    )  # fmt: skip
    assert shift == (200, "application/json", {"people": ["a\\u0000b"], "note": {}})
    assert form == (200, "application/json", {"overall": "满意"})
