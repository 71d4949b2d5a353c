"""One service process's plumbing, started and stopped as one: pool, migrations, topics, relay, consumer.

Every service's composition root builds a `ServiceRuntime` with its handlers and background loops and
gives `create_service_app` its routers; the runtime owns the order of start-up (database and topics
before anything consumes or publishes) and of shut-down (loops stopped before the pool closes), so no
service re-implements it. Tests run the same app in-process through its lifespan.

    runtime = ServiceRuntime(settings, Service.CALLBACK, handlers=handlers, background=[timers])
    app = create_service_app(runtime, title="回访策略 Callback", routers=[policies.router])
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import importlib
import logging
import os
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
from aiokafka import AIOKafkaProducer
from fastapi import APIRouter, Depends, FastAPI
from huifang_contracts.topics import Service, TopicCatalogue

from huifang_infra.api_docs import install_api_docs
from huifang_infra.auth import AuthConfig, configure_auth
from huifang_infra.consumer import BatchHandler, Handler, IdempotentConsumer, RecordDecoder
from huifang_infra.db import create_pool
from huifang_infra.gc_tuning import tune_gc
from huifang_infra.health import Check, consumer_check, database_check, health_router, kafka_check
from huifang_infra.input_guard import refuse_nul_characters
from huifang_infra.metrics import Metrics, refresh_every, refresh_outbox_backlog
from huifang_infra.migrations import MigrationSource, infra_migrations, migrate, service_migrations
from huifang_infra.outbox import Outbox, oldest_unpublished_age
from huifang_infra.problems import install_base_problem_handlers
from huifang_infra.producer import create_producer
from huifang_infra.relay import OutboxRelay
from huifang_infra.settings import ServiceSettings
from huifang_infra.supervision import TaskState, keep_running
from huifang_infra.telemetry import (
    configure_logging,
    instrument_asyncpg,
    instrument_kafka,
    server_telemetry,
    setup_telemetry,
)
from huifang_infra.topics import ensure_topics
from huifang_infra.watchdog import stalled, supervise_consumer
from huifang_infra.wiring import catalogue_for

log = logging.getLogger(__name__)

#: A loop the runtime runs beside the consumer and relay until stop (timers, schedulers).
Background = Callable[["ServiceRuntime", asyncio.Event], Awaitable[None]]

METRICS_REFRESH_S = 5.0


class ServiceRuntime:
    """What one service process runs; attributes are set by `start()` and valid until `stop()`."""

    pool: asyncpg.Pool
    producer: AIOKafkaProducer
    relay: OutboxRelay
    consumer: IdempotentConsumer | None

    def __init__(
        self,
        settings: ServiceSettings,
        service: Service,
        *,
        handlers: Mapping[str, Handler] | None = None,
        batch_handlers: Mapping[str, BatchHandler] | None = None,
        decoders: Mapping[str, RecordDecoder] | None = None,
        background: Sequence[Background] = (),
        migrations: list[MigrationSource] | None = None,
        create_topics: bool = True,
        stall_timeout_s: float = 60.0,
        outbox: Outbox | None = None,
        metrics: Metrics | None = None,
    ) -> None:
        self.settings, self.service = settings, service
        self.handlers = dict(handlers or {})
        self.batch_handlers = dict(batch_handlers or {})
        self._decoders = dict(decoders or {})  # by catalogue (unsuffixed) topic name
        self._background = list(background)
        self._migrations = migrations
        self._create_topics = create_topics
        self._stall_timeout_s = stall_timeout_s
        self.catalogue: TopicCatalogue = catalogue_for(settings)
        self.outbox = outbox or Outbox(self.catalogue.topic_for)
        self.metrics = metrics or Metrics()
        self.consumer = None
        self._stop = asyncio.Event()
        self._tasks: list[asyncio.Task[Any]] = []
        #: Every supervised background task by name, as `/readyz` reports it.
        self.tasks: dict[str, TaskState] = {}
        self.started = False

    @property
    def name(self) -> str:
        return self.service.value

    @property
    def stopping(self) -> asyncio.Event:
        """Set when the runtime is stopping; background loops end when it is."""
        return self._stop

    def migration_sources(self) -> list[MigrationSource]:
        return self._migrations or [infra_migrations(), service_migrations(self.name)]

    # -- lifecycle -------------------------------------------------------------------------------
    async def start(self) -> None:
        s = self.settings
        self.pool = await create_pool(s.database_url, min_size=s.db_pool_min_size, max_size=s.db_pool_max_size)
        applied = await migrate(self.pool, self.migration_sources())
        if applied:
            log.info("%s: applied migrations %s", self.name, ", ".join(applied))
        if self._create_topics:
            await ensure_topics(s.kafka_bootstrap_servers, self.catalogue.all_topics())
        self.producer = create_producer(s.kafka_bootstrap_servers, client_id=f"{self.name}-dlq")
        await self.producer.start()
        self._stop.clear()
        self.relay = OutboxRelay(
            self.pool,
            s.kafka_bootstrap_servers,
            name=f"{self.name}-relay",
            poll_interval_s=s.outbox_poll_interval_seconds,
            on_published=self.metrics.record_published,
        )
        self._spawn("relay", lambda: self.relay.run(self._stop))
        if self.handlers or self.batch_handlers:
            self._spawn("consumer", lambda: supervise_consumer(self._new_consumer, self._stop, self._stall_timeout_s))
        self._spawn(
            "metrics",
            lambda: refresh_every(
                self._stop, METRICS_REFRESH_S, lambda: refresh_outbox_backlog(self.metrics, self.pool)
            ),
        )
        for loop in self._background:
            self._spawn(getattr(loop, "__name__", "background"), functools.partial(loop, self, self._stop))
        self.started = True
        log.info("%s: started (topics%s)", self.name, f" suffixed .{s.topic_suffix}" if s.topic_suffix else "")

    def _new_consumer(self) -> IdempotentConsumer:
        group = self.catalogue.group(self.service)
        consumer = IdempotentConsumer(
            group=group.name,
            topics=list(group.topics),
            bootstrap=self.settings.kafka_bootstrap_servers,
            pool=self.pool,
            handlers=self.handlers,
            batch_handlers=self.batch_handlers,
            decoders={self.catalogue.name(topic): decoder for topic, decoder in self._decoders.items()},
            dead_letter_topic=group.dead_letter,
            producer=self.producer,
            batch_size=self.settings.consumer_batch_size,
            on_processed=self.metrics.processed_by(group.name),
            on_dead_lettered=self.metrics.dead_lettered_by(group.name),
            group_instance_id=self._instance_id(),
            session_timeout_ms=self.settings.consumer_session_timeout_ms,
        )
        self.consumer = consumer
        return consumer

    def _instance_id(self) -> str | None:
        """The static member id, where it is one process's: uvicorn's workers would share it (each
        fencing the others out), so several workers join as dynamic members."""
        instance = self.settings.consumer_instance_id
        if instance and self.settings.http_workers > 1:
            log.warning("%s: consumer_instance_id ignored with %d workers", self.name, self.settings.http_workers)
            return None
        return instance

    def _spawn(self, name: str, work: Callable[[], Awaitable[Any]]) -> None:
        """Run `work()` as a supervised task: started again with backoff whenever it ends or fails."""
        state = self.tasks[name] = TaskState(name=f"{self.name}:{name}")
        task = asyncio.ensure_future(
            keep_running(state, work, self._stop, on_restart=lambda _n: self.metrics.task_restarts.labels(name).inc())
        )
        task.set_name(state.name)
        self._tasks.append(task)

    async def stop(self) -> None:
        if not self.started:
            return
        self._stop.set()
        _done, pending = await asyncio.wait(self._tasks, timeout=20) if self._tasks else (set(), set())
        for task in pending:
            task.cancel()
        for task in pending:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._tasks.clear()
        self.tasks.clear()
        await self.producer.stop()
        await self.pool.close()
        self.started = False

    @asynccontextmanager
    async def running(self) -> AsyncIterator[ServiceRuntime]:
        await self.start()
        try:
            yield self
        finally:
            await self.stop()

    # -- HTTP ------------------------------------------------------------------------------------
    def readiness_checks(self) -> dict[str, Check]:
        """Checks resolved at call time: the pool and consumer exist only once the runtime started.

        Besides the database and the broker: the relay runs and no outbox row waits longer than
        `outbox_max_age_seconds`; the consumer runs, holds partitions and is not stalled (lag with no
        commit for the stall timeout); every background loop runs (one between a failure and its
        restart is down).
        """

        async def database() -> bool:
            return self.started and await database_check(self.pool)()

        async def kafka() -> bool:
            return await kafka_check(self.settings.kafka_bootstrap_servers)()

        async def relay() -> bool:
            if not self._running("relay"):
                return False
            async with self.pool.acquire() as conn:
                age = await oldest_unpublished_age(conn)
            return age is None or age <= self.settings.outbox_max_age_seconds

        checks: dict[str, Check] = {"database": database, "kafka": kafka, "relay": relay}
        if self.handlers or self.batch_handlers:

            async def consumer() -> bool:
                current = self.consumer
                if not self._running("consumer") or current is None or not await consumer_check(current)():
                    return False
                return not await stalled(current, self._stall_timeout_s, time.monotonic())

            checks["consumer"] = consumer
        for loop in self._background:
            name = getattr(loop, "__name__", "background")
            checks[name] = self._task_check(name)
        return checks

    def _running(self, name: str) -> bool:
        state = self.tasks.get(name)
        return self.started and state is not None and state.running

    def _task_check(self, name: str) -> Check:
        async def running() -> bool:
            return self._running(name)

        return running


def create_service_app(
    runtime: ServiceRuntime,
    *,
    title: str,
    routers: Sequence[APIRouter] = (),
    description: str = "",
    version: str = "1",
    configure: Callable[[FastAPI], None] | None = None,
) -> FastAPI:
    """The service's FastAPI app: lifespan runs the runtime; auth, health, metrics and tracing installed."""
    settings = runtime.settings

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        setup_telemetry(
            settings.service_name, otlp_endpoint=settings.otel_exporter_otlp_endpoint, instrument_libraries=False
        )
        if settings.trace_kafka_client:
            instrument_kafka()
        if settings.trace_database_queries:
            instrument_asyncpg()
        async with runtime.running():
            yield

    app = FastAPI(
        title=title,
        description=description,
        version=version,
        lifespan=lifespan,
        telemetry=server_telemetry(),
        dependencies=[Depends(refuse_nul_characters)],
    )
    app.state.runtime = runtime
    install_base_problem_handlers(app)
    install_api_docs(app)
    configure_auth(app, AuthConfig(settings.jwt_secret.get_secret_value()))
    app.include_router(health_router(runtime.readiness_checks(), registry=runtime.metrics.registry))
    if settings.cors_origins():
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins(),
            allow_methods=["GET", "POST", "PUT", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "Idempotency-Key", "Accept-Language"],
        )
    for router in routers:
        app.include_router(router)
    if configure is not None:
        configure(app)
    return app


#: Names the service's app factory for `worker_app` in the processes uvicorn spawns.
APP_FACTORY_ENV = "HUIFANG_APP_FACTORY"


def serve(settings: ServiceSettings, factory: str) -> None:
    """Run the service's app under uvicorn on the configured host and port, logs carrying trace ids.

    `factory` is the import path of the service's app factory (`module:function`, taking the
    settings). With `http_workers` > 1 uvicorn runs that many worker processes on the port, each
    building its own app: every worker has its own consumer (the group shares the partitions out) and
    relay (one publishes at a time). The app is built only where it serves.
    """
    import uvicorn

    configure_logging(settings.service_name)
    options: dict[str, Any] = {
        "host": settings.http_host,
        "port": settings.http_port,
        "log_config": None,
        "access_log": settings.access_log,
    }
    if settings.http_workers > 1:
        os.environ[APP_FACTORY_ENV] = factory
        uvicorn.run(f"{__name__}:worker_app", factory=True, workers=settings.http_workers, **options)
        return
    app = _app_factory(factory)(settings)
    tune_gc(settings.gc_gen0_threshold)
    uvicorn.run(app, **options)


def worker_app() -> FastAPI:
    """The app of one worker process: the factory `serve` named, built and tuned as `serve` would."""
    app = _app_factory(os.environ[APP_FACTORY_ENV])()
    settings: ServiceSettings = app.state.runtime.settings
    configure_logging(settings.service_name)
    tune_gc(settings.gc_gen0_threshold)
    return app


def _app_factory(path: str) -> Callable[..., FastAPI]:
    module, _, function = path.partition(":")
    factory: Callable[..., FastAPI] = getattr(importlib.import_module(module), function)
    return factory
