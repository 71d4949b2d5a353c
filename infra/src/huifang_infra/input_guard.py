"""Input no service can store, refused before any route sees it: a NUL character anywhere.

PostgreSQL's text cannot hold U+0000, so a NUL in a path id, a query value or a JSON or form body ends
as `CharacterNotInRepertoireError` deep in a query — a 500 on every service. Every app runs this one
dependency instead (after routing, so a path value is named by its parameter): 422 naming the field.

A JSON request pays a substring search of its raw bytes; only a hit parses the body to find the field
(JSON writes U+0000 as the escape `\\u0000`; a raw NUL byte is not JSON). A url-encoded form is read
as the form, which the request keeps for the route; multipart uploads are left to their routes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError

NUL = "\x00"
NUL_REASON = "不能包含 NUL 字符 must not contain the NUL character (U+0000)"

_JSON_NUL = b"\\u0000"


async def refuse_nul_characters(request: Request) -> None:
    """A FastAPI dependency: 422 naming every path, query, JSON or form field holding a NUL."""
    fields = [("path", name) for name, value in request.path_params.items() if NUL in str(value)]
    query: bytes = request.scope.get("query_string", b"")
    if b"%00" in query or b"\x00" in query:
        fields += [("query", name) for name, value in request.query_params.multi_items() if NUL in name + value]
    content_type = request.headers.get("content-type", "")
    if "json" in content_type or "x-www-form-urlencoded" in content_type:
        fields += await _body_fields(request, form="x-www-form-urlencoded" in content_type)
    if fields:
        raise RequestValidationError(
            [{"loc": (source, *_as_loc(name)), "msg": NUL_REASON, "type": "nul_character"} for source, name in fields]
        )


async def _body_fields(request: Request, *, form: bool) -> list[tuple[str, Any]]:
    if form:
        # parsed once and kept by the request, whether FastAPI (Form parameters) or the route reads it
        items = (await request.form()).multi_items()
        return [("body", name) for name, value in items if isinstance(value, str) and NUL in name + value]
    body = await request.body()  # kept by the request: the route reads the same bytes
    if _JSON_NUL not in body:
        return []
    try:
        document = json.loads(body)
    except ValueError:
        return []  # not JSON after all: the route's own parsing refuses it
    return [("body", path) for path in _nul_paths(document, ())]


def _nul_paths(value: Any, path: tuple[str | int, ...]) -> Iterator[tuple[str | int, ...]]:
    if isinstance(value, str):
        if NUL in value:
            yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            if NUL in key:
                yield (*path, key)
            else:
                yield from _nul_paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _nul_paths(item, (*path, index))


def _as_loc(name: Any) -> tuple[Any, ...]:
    return name if isinstance(name, tuple) else (name,)
