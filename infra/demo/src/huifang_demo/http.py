"""A small JSON client for the demo loader: the services' public HTTP APIs, nothing else.

Standard library only (infra does not ship an HTTP client), and never through a proxy: every service
of the demo listens on 127.0.0.1.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class DemoRequestFailed(RuntimeError):
    """A service answered with a status the loader did not expect; the message carries its answer."""


@dataclass(frozen=True)
class Answer:
    status: int
    body: Any


@dataclass(frozen=True)
class DemoClient:
    """Calls `urls[service] + path` with a bearer token; `as_token` speaks for another principal."""

    urls: Mapping[str, str]
    token: str
    timeout_s: float = 60.0

    def as_token(self, token: str) -> DemoClient:
        return DemoClient(self.urls, token, self.timeout_s)

    def call(
        self,
        method: str,
        service: str,
        path: str,
        body: Any = None,
        *,
        ok: tuple[int, ...] = (200, 201),
        headers: Mapping[str, str] | None = None,
        raw: bytes | None = None,
        content_type: str = "application/json",
    ) -> Answer:
        data = raw if raw is not None else (None if body is None else json.dumps(body, ensure_ascii=False).encode())
        request = urllib.request.Request(f"{self.urls[service]}{path}", data=data, method=method)
        request.add_header("Authorization", f"Bearer {self.token}")
        request.add_header("Accept", "application/json")
        if data is not None:
            request.add_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            with _DIRECT.open(request, timeout=self.timeout_s) as response:
                answer = Answer(response.status, _json(response.read()))
        except urllib.error.HTTPError as exc:
            answer = Answer(exc.code, _json(exc.read()))
        if answer.status not in ok:
            raise DemoRequestFailed(f"{method} {service}{path} → {answer.status}: {str(answer.body)[:500]}")
        return answer

    def get(self, service: str, path: str) -> Any:
        return self.call("GET", service, path).body

    def post(self, service: str, path: str, body: Any, *, ok: tuple[int, ...] = (200, 201), key: str = "") -> Answer:
        headers = {"Idempotency-Key": key} if key else None
        return self.call("POST", service, path, body, ok=ok, headers=headers)


def _json(payload: bytes) -> Any:
    if not payload:
        return None
    try:
        return json.loads(payload)
    except ValueError:
        return payload.decode(errors="replace")
