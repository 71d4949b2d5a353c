"""The same stack from `testcontainers`, for users who have a Docker engine (HUIFANG_STACK=testcontainers).

Containers live as long as the Python process that started them, so this mode serves test runs; the
CLI's `stack up` keeps servers running only in the default local-process mode.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from huifang_devstack.errors import StackError

KAFKA_IMAGE = "apache/kafka:4.1.1"
POSTGRES_IMAGE = "postgres:17-alpine"


@dataclass
class ContainerStack:
    kafka: Any = None
    postgres: Any = None
    endpoints: dict[str, str] = field(default_factory=dict)

    def up(self) -> tuple[str, str]:
        try:
            from testcontainers.kafka import KafkaContainer
            from testcontainers.postgres import PostgresContainer
        except ImportError as exc:
            raise StackError("HUIFANG_STACK=testcontainers needs the extra: uv sync --extra testcontainers") from exc
        try:
            self.kafka = KafkaContainer(KAFKA_IMAGE).with_kraft().start()
            self.postgres = PostgresContainer(POSTGRES_IMAGE, driver=None).start()
        except Exception as exc:
            raise StackError(
                f"HUIFANG_STACK=testcontainers could not start containers (is a Docker engine reachable?): {exc}"
            ) from exc
        bootstrap = str(self.kafka.get_bootstrap_server())
        url = str(self.postgres.get_connection_url()).replace("postgresql+psycopg2", "postgresql")
        return bootstrap, url

    def down(self) -> None:
        for container in (self.kafka, self.postgres):
            if container is not None:
                container.stop()
        self.kafka = self.postgres = None
