"""How a person reaches the running demo: the development token, the services' environment, the URLs."""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import timedelta

from huifang_devstack import Stack
from huifang_infra.auth import ALL_ESTATES, DEVELOPMENT_JWT_SECRET, Role, mint_token

from huifang_demo.data import DEMO_GROUP_ID
from huifang_demo.group import DEMO_LOGIN, DEMO_STAFF_PASSWORD
from huifang_demo.services import ServiceSpec

DEMO_TOKEN_TTL = timedelta(hours=12)


def demo_jwt_secret() -> str:
    """`HUIFANG_JWT_SECRET`, else the public development secret; the demo both signs and verifies with it."""
    return os.environ.get("HUIFANG_JWT_SECRET") or DEVELOPMENT_JWT_SECRET


def demo_token(secret: str | None = None) -> str:
    """An admin token for every estate of the demo group, valid for a working day."""
    key = secret or demo_jwt_secret()
    return mint_token(key, "dev-admin", Role.admin, DEMO_GROUP_ID, [ALL_ESTATES], DEMO_TOKEN_TTL, locale="zh-CN")


def service_env(specs: Sequence[ServiceSpec], stack: Stack) -> dict[str, str]:
    """What every service process gets beside the environment: the same token secret, and the trace
    viewer's span endpoint when it runs. The stack's ports already reach them as `HUIFANG_*`."""
    secret = demo_jwt_secret()
    # Each service verifies with its own `<PREFIX>JWT_SECRET`; set them all so the printed token works.
    env = {f"{spec.env_prefix}JWT_SECRET": secret for spec in specs}
    # One process per service: a static consumer id lets a killed service, started again, take its
    # partitions back at once instead of after the session timeout.
    env |= {f"{spec.env_prefix}CONSUMER_INSTANCE_ID": f"{spec.name}-1" for spec in specs}
    by_name = {spec.name: spec for spec in specs}
    console = by_name.get("dispatch")
    if console is not None:  # the staff console (dispatch) calls survey, callback and reporting from the browser
        for name in ("survey", "callback", "reporting"):
            if name in by_name:
                env[f"{by_name[name].env_prefix}CORS_ALLOW_ORIGINS"] = console.base_url
                env[f"{console.env_prefix}CONSOLE_{name.upper()}_URL"] = by_name[name].base_url
    if stack.trace_viewer_running:
        env["OTEL_EXPORTER_ZIPKIN_ENDPOINT"] = stack.zipkin.spans_endpoint
    return env


def demo_urls(specs: Sequence[ServiceSpec], stack: Stack) -> list[tuple[str, str]]:
    """(what, URL) pairs to print: each service's API docs, the dashboard, the trace viewer."""
    urls = [(f"{spec.name} API docs", spec.docs_url) for spec in specs]
    urls += [("dashboard 看板", f"{spec.base_url}/dashboard") for spec in specs if spec.name == "reporting"]
    urls += [
        (f"staff console 员工工作台 (login {DEMO_LOGIN} / {DEMO_STAFF_PASSWORD})", f"{spec.base_url}/console")
        for spec in specs
        if spec.name == "dispatch"
    ]
    if stack.trace_viewer_running:
        urls.append(("traces (Zipkin) 链路追踪", f"{stack.zipkin.base_url}/zipkin/"))
    return urls
