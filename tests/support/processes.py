"""The five services as real processes (`python -m huifang_<svc>`), for end-to-end tests and benchmarks.

Each process gets its own database (`<PREFIX>DATABASE_URL`), the shared Kafka with topics isolated by
one suffix for the whole system (`<PREFIX>TOPIC_SUFFIX`), and a free port below the ephemeral range.
Every command line carries a marker (`-X huifang.e2e=<home>/<name>`, an interpreter option the service
never sees), so a process is signalled only while it is still ours and nothing is left behind.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil
from huifang_contracts.topics import CATALOGUE, TopicCatalogue
from huifang_infra.topics import ensure_topics

from tests.support.ports import free_port

__all__ = ["SERVICES", "ServiceSystem", "free_port"]

#: The services in the order events flow through them.
SERVICES = ("intake", "callback", "dispatch", "survey", "reporting")

#: Settings that make a test system quick: timers every second, the unassigned queue retried often.
FAST_SETTINGS: dict[str, str] = {
    "CALLBACK_TIMER_TICK_SECONDS": "1",
    "DISPATCH_UNASSIGNED_RETRY_SECONDS": "2",
    "REPORTING_CLOSE_INTERVAL_SECONDS": "3600",
}


@dataclass
class ServiceProcess:
    """One service: how to start it again after a kill, and where it answers."""

    name: str
    port: int
    env: dict[str, str]
    log_path: Path
    marker: str
    popen: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def prefix(self) -> str:
        return f"{self.name.upper()}_"


@dataclass
class ServiceSystem:
    """The five services started under `home`; `kill`/`start` for fault injection."""

    home: Path
    suffix: str
    kafka_bootstrap: str
    database_urls: Mapping[str, str]
    extra_env: Mapping[str, str] = field(default_factory=dict)
    services: dict[str, ServiceProcess] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.home.mkdir(parents=True, exist_ok=True)
        ports: list[int] = []
        base = {k: v for k, v in os.environ.items() if not k.startswith(("OTEL_EXPORTER", "HUIFANG_DEMO"))}
        for name in SERVICES:
            port = free_port(ports)
            ports.append(port)
            prefix = f"{name.upper()}_"
            env = {
                **base,
                f"{prefix}DATABASE_URL": self.database_urls[name],
                f"{prefix}KAFKA_BOOTSTRAP_SERVERS": self.kafka_bootstrap,
                f"{prefix}TOPIC_SUFFIX": self.suffix,
                f"{prefix}TOPIC_PARTITIONS": "3",
                f"{prefix}HTTP_PORT": str(port),
                f"{prefix}ENVIRONMENT": "test",
                f"{prefix}OUTBOX_POLL_INTERVAL_SECONDS": "0.5",
                "PYTHONUNBUFFERED": "1",
                **FAST_SETTINGS,
                **self.extra_env,
            }
            marker = f"huifang.e2e={self.home / name}"
            self.services[name] = ServiceProcess(name, port, env, self.home / f"{name}.log", marker)

    def url(self, name: str) -> str:
        return self.services[name].base_url

    def start(self, name: str) -> None:
        """Start (or restart) one service; the log file is appended to, so a restart keeps the story."""
        svc = self.services[name]
        argv = [sys.executable, "-X", svc.marker, "-m", f"huifang_{name}"]
        log = svc.log_path.open("ab")
        svc.popen = subprocess.Popen(argv, env=svc.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()

    @property
    def catalogue(self) -> TopicCatalogue:
        return CATALOGUE.with_suffix(self.suffix, partitions=3)

    def topic(self, base: str) -> str:
        return self.catalogue.name(base)

    def start_all(self, timeout_s: float = 90.0) -> None:
        # Created once here rather than by five services racing for the same topics on a shared broker.
        asyncio.run(ensure_topics(self.kafka_bootstrap, self.catalogue.all_topics()))
        for name in SERVICES:
            self.start(name)
        self.wait_ready(SERVICES, timeout_s)

    def wait_ready(self, names: Iterable[str], timeout_s: float = 90.0) -> None:
        """Until each answers `/readyz` with 200; a process that exits meanwhile fails at once, with its log."""
        pending = list(names)
        deadline = time.monotonic() + timeout_s
        with httpx.Client(timeout=2.0, trust_env=False) as client:
            while pending:
                for name in list(pending):
                    svc = self.services[name]
                    if svc.popen is not None and svc.popen.poll() is not None:
                        raise RuntimeError(f"{name} exited ({svc.popen.returncode}):\n{self.log_tail(name)}")
                    try:
                        if client.get(f"{svc.base_url}/readyz").status_code == 200:
                            pending.remove(name)
                    except httpx.HTTPError:
                        pass
                if pending and time.monotonic() > deadline:
                    tails = "\n".join(f"--- {n}\n{self.log_tail(n)}" for n in pending)
                    raise RuntimeError(f"not ready within {timeout_s} s: {pending}\n{tails}")
                if pending:
                    time.sleep(0.25)

    def kill(self, name: str) -> None:
        """SIGKILL: no shutdown hook runs, uncommitted work and unsent outbox rows stay as they were."""
        svc = self.services[name]
        if svc.popen is not None and svc.popen.poll() is None:
            os.kill(svc.popen.pid, signal.SIGKILL)
            svc.popen.wait(timeout=10)

    def stop_all(self, grace_s: float = 10.0) -> None:
        running = [s.popen for s in self.services.values() if s.popen is not None and s.popen.poll() is None]
        for popen in running:
            popen.terminate()
        for popen in running:
            try:
                popen.wait(timeout=grace_s)
            except subprocess.TimeoutExpired:
                popen.kill()
                popen.wait(timeout=5)
        for proc in self.leftovers():  # a child that outlived its parent must not outlive the test
            proc.kill()

    def leftovers(self) -> list[psutil.Process]:
        found = []
        for proc in psutil.process_iter(["cmdline"]):
            if f"huifang.e2e={self.home}/" in " ".join(proc.info["cmdline"] or []):
                found.append(proc)
        return found

    def rss_bytes(self) -> int:
        total = 0
        for svc in self.services.values():
            if svc.popen is not None and svc.popen.poll() is None:
                try:
                    total += psutil.Process(svc.popen.pid).memory_info().rss
                except psutil.NoSuchProcess:
                    continue
        return total

    def log_tail(self, name: str, lines: int = 40) -> str:
        path = self.services[name].log_path
        if not path.exists():
            return "(no log)"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
