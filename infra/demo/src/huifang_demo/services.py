"""Which processes the demo runs, on which ports, and where to reach them."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


@dataclass(frozen=True)
class ServiceSpec:
    """One service process: `python -m <module>` listening on 127.0.0.1:<port>."""

    name: str
    port: int
    module: str

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ready_url(self) -> str:
        return f"{self.base_url}/readyz"

    @property
    def docs_url(self) -> str:
        return f"{self.base_url}/docs"

    @property
    def env_prefix(self) -> str:
        """The service's settings prefix (`INTAKE_`), by the convention every service follows."""
        return f"{self.name.upper()}_"


#: The documented ports of the five services (README), in the order events flow through them.
DEMO_SERVICES: tuple[tuple[str, int], ...] = (
    ("intake", 8001),
    ("callback", 8002),
    ("dispatch", 8003),
    ("survey", 8004),
    ("reporting", 8005),
)


class DemoSettings(BaseSettings):
    """`HUIFANG_DEMO_*` variables: how long to wait for and on the service processes."""

    model_config = SettingsConfigDict(env_prefix="HUIFANG_DEMO_", extra="ignore")

    port_offset: int = Field(default=0, ge=-8000, le=20000, description="added to every service's port")
    ready_timeout_s: float = Field(default=120.0, gt=0, description="per `up`, for all services together")
    stop_grace_s: float = Field(default=10.0, gt=0, description="SIGTERM, then SIGKILL after this long")


def demo_services(settings: DemoSettings | None = None) -> list[ServiceSpec]:
    offset = (settings or DemoSettings()).port_offset
    return [ServiceSpec(name, port + offset, f"huifang_{name}") for name, port in DEMO_SERVICES]
