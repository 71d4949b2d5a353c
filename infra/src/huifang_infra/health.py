"""`/healthz`, `/readyz` and `/metrics`: what the orchestrator and Prometheus ask a service.

Liveness never looks at dependencies (a database outage must not restart every service); readiness
does, and names what is failing. These routes take no token: probes and scrapers carry none.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Protocol

import asyncpg
from fastapi import APIRouter, Response, status
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client import REGISTRY as DEFAULT_REGISTRY

from huifang_infra.probes import metadata_ok

log = logging.getLogger(__name__)

Check = Callable[[], Awaitable[bool]]

#: A check slower than this counts as failing: a probe must answer before the orchestrator gives up.
CHECK_TIMEOUT_S = 5.0


def health_router(
    checks: Mapping[str, Check],
    *,
    registry: CollectorRegistry | None = None,
    timeout_s: float = CHECK_TIMEOUT_S,
) -> APIRouter:
    """The three routes; `registry` is the app's `Metrics.registry` (default: prometheus_client's)."""
    router = APIRouter(tags=["health"])
    metrics_registry = registry if registry is not None else DEFAULT_REGISTRY

    @router.get("/healthz")
    async def healthz() -> dict[str, str]:
        """The process is alive and serving."""
        return {"status": "ok"}

    @router.get("/readyz", responses={503: {"description": "some readiness check failed"}})
    async def readyz() -> JSONResponse:
        """Every readiness check passes (database, Kafka, consumer assigned …), or 503 naming the failing."""
        names = list(checks)
        outcomes = await asyncio.gather(*(_passes(name, checks[name], timeout_s) for name in names))
        results = {name: "ok" if ok else "failing" for name, ok in zip(names, outcomes, strict=True)}
        failing = [name for name, ok in zip(names, outcomes, strict=True) if not ok]
        if failing:
            body = {"status": "unavailable", "failing": failing, "checks": results}
            return JSONResponse(body, status_code=status.HTTP_503_SERVICE_UNAVAILABLE)
        return JSONResponse({"status": "ok", "checks": results})

    @router.get("/metrics", response_class=Response)
    async def metrics() -> Response:
        """Prometheus text exposition of this app's metrics."""
        return Response(generate_latest(metrics_registry), media_type=CONTENT_TYPE_LATEST)

    return router


async def _passes(name: str, check: Check, timeout_s: float) -> bool:
    try:
        return bool(await asyncio.wait_for(check(), timeout_s))
    except TimeoutError:
        log.warning("readiness check %s took longer than %.1f s", name, timeout_s)
    except Exception as exc:  # a check that raises is a failing check, reported, not a 500
        log.warning("readiness check %s raised %r", name, exc)
    return False


def database_check(pool: asyncpg.Pool, timeout_s: float = 2.0) -> Check:
    """The database answers `SELECT 1` through the service's own pool (an exhausted pool fails too)."""

    async def database() -> bool:
        async with asyncio.timeout(timeout_s), pool.acquire() as conn:
            return bool(await conn.fetchval("SELECT 1", timeout=timeout_s) == 1)

    return database


def kafka_check(bootstrap: str, timeout_s: float = 3.0) -> Check:
    """A broker answers a metadata request (an open port alone is not enough)."""

    async def kafka() -> bool:
        return await metadata_ok(bootstrap, timeout_s)

    return kafka


class _Assignable(Protocol):
    @property
    def assigned(self) -> bool: ...


def consumer_check(consumer: _Assignable) -> Check:
    """The consumer holds at least one partition.

    Run no more instances than the topic has partitions, or the surplus ones stay not-ready.
    """

    async def assigned() -> bool:
        return consumer.assigned

    return assigned
