"""Zipkin, the stack's trace viewer: the server's exec jar run with the machine's java, in memory.

Spans live only in the server's heap (`STORAGE_TYPE=mem`), capped by `max_spans` so the oldest traces
are dropped rather than the heap exhausted; a demo's traces need no durability.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from huifang_infra.probes import port_open

from huifang_devstack.checks import require_free_port, require_java
from huifang_devstack.errors import StackError
from huifang_devstack.process import ManagedProcess
from huifang_devstack.zipkin_jar import ensure_zipkin_jar

READY_TIMEOUT_S = 90.0
# Local addresses only: a proxy from the environment (http_proxy) must not be asked for 127.0.0.1.
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def zipkin_answers(base_url: str, timeout_s: float = 2.0) -> bool:
    """True when Zipkin's `/health` says UP (an open port alone may still be the JVM starting)."""
    try:
        with _DIRECT.open(f"{base_url}/health", timeout=timeout_s) as response:
            return bool(response.status == 200 and json.load(response).get("status") == "UP")
    except (OSError, ValueError, urllib.error.URLError):
        return False


@dataclass
class LocalZipkin:
    cache: Path
    home: Path
    port: int
    heap_mb: int = 256
    max_spans: int = 100_000
    start_seconds: float | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def spans_endpoint(self) -> str:
        """What a service sets as `OTEL_EXPORTER_ZIPKIN_ENDPOINT`."""
        return f"{self.base_url}/api/v2/spans"

    @property
    def log(self) -> Path:
        return self.home / "zipkin.log"

    @property
    def marker(self) -> str:
        # A system property naming our state folder: the only thing in `ps` that tells our Zipkin
        # from another one, so `down` never signals a recycled pid or somebody else's server.
        return f"-Dhuifang.zipkin.home={self.home}"

    @property
    def process(self) -> ManagedProcess:
        return ManagedProcess("zipkin", self.home / "zipkin.pid", marker=self.marker)

    def argv(self, java: str, jar: Path) -> list[str]:
        return [
            java,
            f"-Xms{min(64, self.heap_mb)}m",
            f"-Xmx{self.heap_mb}m",
            "-XX:+UseSerialGC",  # one small heap: the least resident memory for the demo's budget
            "-XX:TieredStopAtLevel=1",  # starts in about half the time; a viewer needs no peak speed
            "-XX:ReservedCodeCacheSize=32m",  # what the client compiler fills, not the 240 MB reserved
            "-Djava.awt.headless=true",
            self.marker,
            "-jar",
            str(jar),
            # Loopback only, like Kafka and PostgreSQL: the demo is not a server for the network.
            "--armeria.ports[0].ip=127.0.0.1",
            f"--armeria.ports[0].port={self.port}",
            "--armeria.ports[0].protocols=http",
        ]

    def up(self) -> None:
        if self.process.pid() is not None:
            self._wait_ready(started=None)
            return
        require_free_port(self.port, "Zipkin", "HUIFANG_ZIPKIN_PORT")
        java = require_java()
        jar = ensure_zipkin_jar(self.cache)
        self.home.mkdir(parents=True, exist_ok=True)
        env = {"STORAGE_TYPE": "mem", "MEM_MAX_SPANS": str(self.max_spans), "SELF_TRACING_ENABLED": "false"}
        started = time.monotonic()
        self.process.start(self.argv(java, jar), self.log, env=env)
        self._wait_ready(started)

    def _wait_ready(self, started: float | None) -> None:
        deadline = time.monotonic() + READY_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.exited_early():
                raise StackError(f"Zipkin exited while starting; the end of {self.log}:\n{self.log_tail(30)}")
            if port_open(self.port) and zipkin_answers(self.base_url):
                if started is not None:
                    self.start_seconds = time.monotonic() - started
                return
            time.sleep(0.3)
        raise StackError(f"Zipkin did not answer within {READY_TIMEOUT_S:.0f} s; see {self.log}")

    def down(self) -> bool:
        return self.process.stop(timeout=20)

    def healthy(self) -> bool:
        return self.process.pid() is not None and zipkin_answers(self.base_url)

    def log_tail(self, lines: int) -> str:
        if not self.log.exists():
            return ""
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
