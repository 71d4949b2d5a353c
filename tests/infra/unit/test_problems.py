"""HTTP problems shared by the services: one body shape, a 422 naming the field and the reason."""

from __future__ import annotations

import json

import asyncpg
import pytest
from asyncpg.exceptions import _base as asyncpg_base
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from huifang_infra.problems import (
    MAX_ECHO_CHARS,
    PROBLEM_JSON,
    field_error,
    field_path,
    install_base_problem_handlers,
    install_problem_handlers,
    invalid_input,
    problem,
)
from pydantic import BaseModel, Field, field_validator

pytestmark = pytest.mark.unit


class Missing(Exception):
    pass


class Taken(Missing):
    pass


class Unit(BaseModel):
    unit_id: str = Field(min_length=2)
    floors: list[int]


class Zone(BaseModel):
    time_zone: str

    @field_validator("time_zone")
    @classmethod
    def known(cls, value: str) -> str:
        raise ValueError(f"{value!r} is not a known time zone")


def app(*, model_values: bool = False) -> FastAPI:
    app = FastAPI()
    install_problem_handlers(
        app,
        {Missing: lambda exc: problem(404, "未找到 Not found", str(exc)), Taken: lambda exc: problem(409, "冲突")},
        model_values=model_values,
    )

    @app.get("/missing")
    async def missing() -> None:
        raise Missing("order WO-1")

    @app.get("/taken")
    async def taken() -> None:
        raise Taken("WO-1")

    @app.post("/units")
    async def units(body: Unit) -> dict[str, str]:
        return {"unit_id": body.unit_id}

    @app.get("/model")
    async def model() -> None:
        Unit.model_validate({"unit_id": "T", "floors": [1]})

    return app


async def call(application: FastAPI, method: str, url: str, **kwargs: object) -> tuple[int, str, dict[str, object]]:
    async with AsyncClient(transport=ASGITransport(app=application), base_url="http://test") as client:
        r = await client.request(method, url, **kwargs)  # type: ignore[arg-type]
        return r.status_code, r.headers["content-type"], r.json()


def test_a_problem_carries_type_title_status_and_only_what_is_given() -> None:
    r = problem(409, "冲突 Conflict", "id taken", item_ids=["h-1"])
    assert r.status_code == 409 and r.media_type == PROBLEM_JSON
    assert (
        r.body
        == (
            '{"type":"about:blank","title":"冲突 Conflict","status":409,"detail":"id taken","item_ids":["h-1"]}'
        ).encode()
    )
    assert b"detail" not in problem(404, "未找到").body


def test_field_paths_name_what_the_client_sent() -> None:
    assert field_path(("body", "materials", 0, "name")) == "materials[0].name"
    assert field_path(("query", "month")) == "month"
    assert field_path(("body",)) == "body"


def test_invalid_input_lists_every_field_and_repeats_them_in_the_detail() -> None:
    r = invalid_input([field_error("phone", "11 digits", code="bad_phone"), field_error("unit_id", "required")])
    assert r.status_code == 422
    body = json.loads(bytes(r.body))
    assert body["detail"] == "phone: 11 digits; unit_id: required"
    assert body["errors"] == [
        {"field": "phone", "reason": "11 digits", "code": "bad_phone"},
        {"field": "unit_id", "reason": "required"},
    ]


async def test_each_error_type_gets_its_own_status_the_most_specific_first() -> None:
    assert await call(app(), "GET", "/missing") == (
        404, PROBLEM_JSON, {"type": "about:blank", "title": "未找到 Not found", "status": 404, "detail": "order WO-1"}
    )  # fmt: skip
    status, _, body = await call(app(), "GET", "/taken")
    assert (status, body["title"]) == (409, "冲突")


async def test_fastapis_own_422_names_the_field_and_the_reason() -> None:
    status, kind, body = await call(app(), "POST", "/units", json={"unit_id": "T", "floors": ["x"]})
    assert (status, kind) == (422, PROBLEM_JSON)
    errors = body["errors"]
    assert isinstance(errors, list) and [e["field"] for e in errors] == ["unit_id", "floors[0]"]


async def test_a_model_refusing_a_value_is_a_422_only_where_asked() -> None:
    status, _, body = await call(app(model_values=True), "GET", "/model")
    assert status == 422 and body["errors"][0]["field"] == "unit_id"  # type: ignore[index]
    transport = ASGITransport(app=app(), raise_app_exceptions=False)
    async with AsyncClient(transport=transport, base_url="http://test") as client:
        assert (await client.get("/model")).status_code == 500


async def test_a_refused_value_is_echoed_at_most_max_echo_chars_long() -> None:
    """Issue 19 (1): a 10 MB value a validator quotes must not come back as a 10 MB reply."""

    application = FastAPI()
    install_base_problem_handlers(application)

    @application.post("/zones")
    async def zones(body: Zone) -> None:
        raise AssertionError("refused before")

    status, kind, body = await call(application, "POST", "/zones", json={"time_zone": "火星" * 5_000_000})
    reason = body["errors"][0]["reason"]  # type: ignore[index]
    assert (status, kind) == (422, PROBLEM_JSON)
    assert reason.startswith("Value error, '火星火星") and reason.endswith("(+9999840 characters)")
    assert len(reason) == MAX_ECHO_CHARS + len("… (+9999840 characters)")


async def test_a_value_the_database_refuses_is_a_422_not_a_500() -> None:
    """The last line behind validation: SQLSTATE class 22 and asyncpg's own encoding refusal."""
    application = FastAPI()
    install_base_problem_handlers(application)

    @application.get("/stored")
    async def stored() -> None:
        raise asyncpg.NumericValueOutOfRangeError("bigint out of range")

    @application.get("/encoded")
    async def encoded() -> None:
        raise asyncpg_base.DataError("invalid input for query argument $1: 9223372036854775808")

    for url in ("/stored", "/encoded"):
        status, kind, body = await call(application, "GET", url)
        assert (status, kind, body["errors"][0]["field"]) == (422, PROBLEM_JSON, "request")  # type: ignore[index]
