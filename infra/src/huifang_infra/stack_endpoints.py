"""Where the local stack's servers listen, read from the variables the stack launcher reads.

A service started with no variables set finds `huifang stack up`'s Kafka and PostgreSQL this way,
without depending on the launcher: huifang_devstack's `StackSettings` extends this class, so the two
cannot disagree on a port, a prefix or an override.
"""

from __future__ import annotations

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class StackEndpoints(BaseSettings):
    """`HUIFANG_*` variables; `KAFKA_BOOTSTRAP_SERVERS` / `HUIFANG_DATABASE_URL` switch to existing servers."""

    model_config = SettingsConfigDict(env_prefix="HUIFANG_", extra="ignore")

    kafka_port: int = Field(default=19092, ge=1024, le=65534, description="broker port; controller is +1")
    postgres_port: int = Field(default=15432, ge=1024, le=65535)
    database_prefix: str = Field(default="huifang_", description="service databases are <prefix><service>")
    kafka_bootstrap_servers: str | None = Field(
        default=None,
        validation_alias=AliasChoices("KAFKA_BOOTSTRAP_SERVERS", "HUIFANG_KAFKA_BOOTSTRAP_SERVERS"),
    )
    database_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("HUIFANG_DATABASE_URL", "DATABASE_URL"),
        description="an existing server: postgresql://user:password@host:port/postgres",
    )
