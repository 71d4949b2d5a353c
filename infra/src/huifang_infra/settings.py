"""What every service reads from its environment; each service subclasses with its own prefix.

    class CallbackSettings(ServiceSettings):
        model_config = SettingsConfigDict(env_prefix="CALLBACK_")
        service_name: str = "callback"
        http_port: int = 8002

Defaults point at the local stack (`huifang stack up`), so a service starts with no variables set;
`HUIFANG_DATABASE_URL` / `KAFKA_BOOTSTRAP_SERVERS` move every service to existing servers at once.
Unsafe defaults are refused where they would matter: production with the development JWT secret.
"""

from __future__ import annotations

from typing import Literal, Self

from pydantic import AliasChoices, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from huifang_infra.auth.tokens import DEVELOPMENT_JWT_SECRET
from huifang_infra.database_url import with_database
from huifang_infra.gc_tuning import DEFAULT_GEN0_THRESHOLD
from huifang_infra.stack_endpoints import StackEndpoints

__all__ = ["DEVELOPMENT_JWT_SECRET", "ServiceSettings"]


#: HS256 keys shorter than the hash output (32 bytes) weaken the signature (RFC 7518 §3.2).
MIN_PRODUCTION_SECRET_BYTES = 32


def default_database_url(service: str) -> str:
    """The service's own database on the stack's server: `<server>/huifang_<service>`."""
    stack = StackEndpoints()
    server = stack.database_url or f"postgresql://postgres@127.0.0.1:{stack.postgres_port}/postgres"
    return with_database(server, f"{stack.database_prefix}{service}")


def default_kafka_bootstrap_servers() -> str:
    stack = StackEndpoints()
    return stack.kafka_bootstrap_servers or f"127.0.0.1:{stack.kafka_port}"


class ServiceSettings(BaseSettings):
    """Base settings; `<PREFIX>_<FIELD>` variables override each field, e.g. `CALLBACK_DATABASE_URL`."""

    model_config = SettingsConfigDict(env_prefix="HUIFANG_SERVICE_", extra="ignore", validate_by_name=True)

    service_name: str = Field(min_length=1, pattern=r"^[a-z][a-z0-9_]*$")
    environment: Literal["development", "test", "production"] = "development"
    database_url: str = Field(default_factory=lambda data: default_database_url(data["service_name"]))
    db_pool_min_size: int = Field(default=1, ge=0)
    db_pool_max_size: int = Field(default=10, ge=1)
    kafka_bootstrap_servers: str = Field(default_factory=default_kafka_bootstrap_servers)
    topic_suffix: str = Field(default="", description="appended as `.<suffix>` to every topic; tests isolate")
    topic_partitions: int | None = Field(
        default=None, ge=1, description="with a topic suffix: partitions of the isolated topics (tests use few)"
    )
    consumer_batch_size: int = Field(default=100, ge=1, le=10_000)
    consumer_instance_id: str | None = Field(
        default=None,
        min_length=1,
        max_length=200,
        description="static group membership: one stable id per process (e.g. `callback-1`); started again "
        "after a crash under the same id, it takes its partitions back at once; unset: dynamic membership",
    )
    consumer_session_timeout_ms: int = Field(
        default=10_000,
        ge=6_000,
        le=300_000,
        description="how long a silent consumer keeps its partitions (a killed process's, with dynamic membership)",
    )
    outbox_poll_interval_seconds: float = Field(
        default=2.0, gt=0, description="backstop only: the relay is woken by NOTIFY on commit"
    )
    outbox_max_age_seconds: float = Field(
        default=60.0,
        gt=0,
        description="an outbox row unpublished for longer makes /readyz report the relay failing (stalled)",
    )
    gc_gen0_threshold: int = Field(
        default=DEFAULT_GEN0_THRESHOLD,
        ge=0,
        description="the garbage collector's young-generation threshold (CPython's default is 700); 0 keeps it",
    )
    http_workers: int = Field(
        default=1,
        ge=1,
        le=64,
        description="uvicorn worker processes on the port (services whose entry point names its app factory)",
    )
    access_log: bool = Field(
        default=False, description="a log line per HTTP request; every request is a span in the traces already"
    )
    http_host: str = "127.0.0.1"
    http_port: int = Field(default=8000, ge=1, le=65535)
    jwt_secret: SecretStr = SecretStr(DEVELOPMENT_JWT_SECRET)
    trace_database_queries: bool = Field(
        default=False,
        description="a span per SQL statement: for diagnosis; it costs several spans per request",
    )
    trace_kafka_client: bool = Field(
        default=False,
        description="aiokafka's own spans around every send and poll, beside the relay's and the consumer's",
    )
    cors_allow_origins: str = Field(
        default="",
        description="comma-separated origins whose pages may call this API from a browser "
        "(the staff console, served by dispatch, posts callback records to survey)",
    )
    otel_exporter_otlp_endpoint: str | None = Field(
        default=None,
        validation_alias=AliasChoices("OTEL_EXPORTER_OTLP_ENDPOINT"),
        description="the standard OpenTelemetry variable, shared by all services; unset → no export",
    )

    @model_validator(mode="after")
    def _refuse_unsafe(self) -> Self:
        if self.db_pool_min_size > self.db_pool_max_size:
            raise ValueError(f"db_pool_min_size {self.db_pool_min_size} > db_pool_max_size {self.db_pool_max_size}")
        if self.environment == "production":
            secret = self.jwt_secret.get_secret_value()
            if secret == DEVELOPMENT_JWT_SECRET:
                raise ValueError("jwt_secret: the development secret is refused in production; set <PREFIX>_JWT_SECRET")
            if len(secret.encode()) < MIN_PRODUCTION_SECRET_BYTES:
                raise ValueError(f"jwt_secret: at least {MIN_PRODUCTION_SECRET_BYTES} bytes in production")
        return self

    def cors_origins(self) -> list[str]:
        return [origin.strip().rstrip("/") for origin in self.cors_allow_origins.split(",") if origin.strip()]

    def topic(self, base: str) -> str:
        """The topic this deployment uses for a catalogue name (`intake.complaints[.<suffix>]`)."""
        return f"{base}.{self.topic_suffix}" if self.topic_suffix else base
