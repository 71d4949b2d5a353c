"""One facade over Kafka and PostgreSQL (local processes, existing servers or containers alike) and the
optional trace viewer, Zipkin, always a local process."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from huifang_infra.database_url import with_database
from huifang_infra.probes import metadata_ok

from huifang_devstack.containers import ContainerStack
from huifang_devstack.databases import ensure_databases
from huifang_devstack.kafka import LocalKafka
from huifang_devstack.kafka_jars import kafka_version
from huifang_devstack.postgres import LocalPostgres, can_connect
from huifang_devstack.settings import SERVICE_DATABASES, StackSettings
from huifang_devstack.zipkin import LocalZipkin
from huifang_devstack.zipkin_jar import zipkin_version


@dataclass(frozen=True)
class ComponentStatus:
    name: str
    mode: str
    endpoint: str
    healthy: bool
    pid: int | None = None
    rss_bytes: int | None = None
    start_seconds: float | None = None


class Stack:
    """Kafka + PostgreSQL (+ Zipkin when asked) for the services: `up` is idempotent, `down` stops only
    what we started, Zipkin included whether or not this instance was asked for it."""

    def __init__(self, settings: StackSettings | None = None) -> None:
        self.settings = settings or StackSettings()
        state = self.settings.state_path
        self.kafka = LocalKafka(
            cache=self.settings.cache_path,
            home=state / "kafka",
            port=self.settings.kafka_port,
            heap_mb=self.settings.kafka_heap_mb,
        )
        self.postgres = LocalPostgres(
            home=state / "postgres",
            port=self.settings.postgres_port,
            bin_dir=self.settings.postgres_bin,
            shared_buffers_mb=self.settings.postgres_shared_buffers_mb,
        )
        self.zipkin = LocalZipkin(
            cache=self.settings.cache_path,
            home=state / "zipkin",
            port=self.settings.zipkin_port,
            heap_mb=self.settings.zipkin_heap_mb,
            max_spans=self.settings.zipkin_max_spans,
        )
        self._containers: ContainerStack | None = None
        self._container_endpoints: tuple[str, str] | None = None

    # -- where things are -------------------------------------------------------------------------
    @property
    def kafka_external(self) -> bool:
        return self.settings.kafka_bootstrap_servers is not None

    @property
    def postgres_external(self) -> bool:
        return self.settings.database_url is not None

    @property
    def kafka_bootstrap(self) -> str:
        if self._container_endpoints:
            return self._container_endpoints[0]
        return self.settings.kafka_bootstrap_servers or self.kafka.bootstrap

    @property
    def admin_database_url(self) -> str:
        if self._container_endpoints:
            return self._container_endpoints[1]
        return self.settings.database_url or self.postgres.admin_url

    def database_name(self, service: str) -> str:
        return f"{self.settings.database_prefix}{service}"

    def database_url(self, service: str) -> str:
        return with_database(self.admin_database_url, self.database_name(service))

    # -- lifecycle --------------------------------------------------------------------------------
    def up(self) -> None:
        if self.settings.stack == "testcontainers":
            self._containers = ContainerStack()
            self._container_endpoints = self._containers.up()
        else:
            if not self.kafka_external:
                self.kafka.up()
            if not self.postgres_external:
                self.postgres.up()
        names = [self.database_name(s) for s in SERVICE_DATABASES]
        asyncio.run(ensure_databases(self.admin_database_url, names))
        if self.settings.trace_viewer:
            self.zipkin.up()

    @property
    def trace_viewer_running(self) -> bool:
        return self.zipkin.process.pid() is not None

    def down(self) -> list[str]:
        stopped = ["zipkin"] if self.zipkin.down() else []
        if self._containers is not None:
            self._containers.down()
            self._containers, self._container_endpoints = None, None
            return [*stopped, "kafka", "postgres"]
        if not self.kafka_external and self.kafka.down():
            stopped.append("kafka")
        if not self.postgres_external and self.postgres.down():
            stopped.append("postgres")
        return stopped

    def status(self) -> list[ComponentStatus]:
        kafka_mode = "external" if self.kafka_external else "local"
        pg_mode = "external" if self.postgres_external else "local"
        kafka_pid = None if self.kafka_external else self.kafka.process.pid()
        pg_pid = None if self.postgres_external else self.postgres.process.pid()
        return [
            ComponentStatus(
                name=f"kafka {kafka_version()}" if kafka_mode == "local" else "kafka",
                mode=kafka_mode,
                endpoint=self.kafka_bootstrap,
                healthy=(kafka_mode == "external" or kafka_pid is not None)
                and asyncio.run(metadata_ok(self.kafka_bootstrap)),
                pid=kafka_pid,
                rss_bytes=None if self.kafka_external else self.kafka.process.rss_bytes(),
                start_seconds=self.kafka.start_seconds,
            ),
            ComponentStatus(
                name="postgres",
                mode=pg_mode,
                endpoint=self.admin_database_url,
                healthy=(pg_mode == "external" or pg_pid is not None)
                and asyncio.run(can_connect(self.admin_database_url)),
                pid=pg_pid,
                rss_bytes=None if self.postgres_external else self.postgres.process.rss_bytes(),
                start_seconds=self.postgres.start_seconds,
            ),
            *self._zipkin_status(),
        ]

    def _zipkin_status(self) -> list[ComponentStatus]:
        """Zipkin's line when it was asked for or is running; absent from a stack that never had it."""
        pid = self.zipkin.process.pid()
        if pid is None and not self.settings.trace_viewer:
            return []
        return [
            ComponentStatus(
                name=f"zipkin {zipkin_version()}",
                mode="local",
                endpoint=self.zipkin.base_url,
                healthy=pid is not None and self.zipkin.healthy(),
                pid=pid,
                rss_bytes=self.zipkin.process.rss_bytes(),
                start_seconds=self.zipkin.start_seconds,
            )
        ]
