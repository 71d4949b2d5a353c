"""Where the stack keeps its files and which ports it uses, from environment variables."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from huifang_infra.stack_endpoints import StackEndpoints
from pydantic import Field
from pydantic_settings import SettingsConfigDict

#: The services whose databases the stack creates (one database each, never shared).
SERVICE_DATABASES = ("intake", "callback", "dispatch", "survey", "reporting")


class StackSettings(StackEndpoints):
    """`HUIFANG_*` variables: files, heaps and Zipkin here; the ports, the database prefix and existing
    servers (`KAFKA_BOOTSTRAP_SERVERS`, `HUIFANG_DATABASE_URL`) in `StackEndpoints`, which services read."""

    model_config = SettingsConfigDict(env_prefix="HUIFANG_", extra="ignore")

    cache_dir: Path = Field(default=Path(".cache"), description="fetched jars and the Maven repository")
    state_dir: Path | None = Field(default=None, description="data, logs and pid files; default cache/stack")
    kafka_heap_mb: int = Field(
        default=256,
        ge=128,
        le=4096,
        description="a single development broker; the test suite, with its hundreds of topics, uses 512",
    )
    postgres_bin: Path | None = Field(
        default=None,
        description="a PostgreSQL bin/ folder (e.g. /usr/lib/postgresql/15/bin) instead of the wheel",
    )
    postgres_shared_buffers_mb: int = Field(
        default=32, ge=16, le=65536, description="the local server's buffer pool (its page cache does the rest)"
    )
    trace_viewer: bool = Field(
        default=False,
        description="also start Zipkin (`huifang stack up --trace-viewer`, the demo); tests leave it off unless asked",
    )
    zipkin_port: int = Field(default=19411, ge=1024, le=65535, description="Zipkin's UI, API and span intake")
    zipkin_heap_mb: int = Field(default=192, ge=64, le=4096)
    zipkin_max_spans: int = Field(default=30_000, ge=1000, description="in-memory spans kept; oldest dropped")
    stack: Literal["local", "testcontainers"] = "local"

    @property
    def state_path(self) -> Path:
        return (self.state_dir or self.cache_dir / "stack").resolve()

    @property
    def cache_path(self) -> Path:
        return self.cache_dir.resolve()
