"""Start, watch and stop the demo's service processes, each found again only through its pid file.

Every process is started detached (its own session, so a Ctrl-C in the terminal reaches only the
supervisor, which then stops what it started) with a marker in its command line: `-X huifang.demo=<home>/
<name>`, an interpreter option the service never sees. As with the stack, a pid is trusted only while its
process still carries that marker, so a recycled pid is never signalled.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import psutil
from huifang_devstack.process import ManagedProcess
from huifang_infra.probes import port_open

from huifang_demo.readiness import answers_ready
from huifang_demo.runnable import why_not_runnable
from huifang_demo.services import ServiceSpec

Report = Callable[[str], None]
LOG_TAIL_LINES = 25
_POLL_S = 0.25
_PROGRESS_EVERY_S = 5.0


@dataclass(frozen=True)
class Outcome:
    """What `up` made of one service; `detail` says why when it is not ready."""

    name: str
    state: Literal["ready", "missing", "failed"]
    detail: str = ""
    seconds: float | None = None


@dataclass(frozen=True)
class ServiceStatus:
    name: str
    url: str
    pid: int | None
    ready: bool
    rss_bytes: int | None


class Supervisor:
    """The demo's services as processes under `home` (pid and log file per service)."""

    def __init__(
        self,
        home: Path,
        specs: Sequence[ServiceSpec],
        *,
        env: Mapping[str, str] | None = None,
        python: str = sys.executable,
        report: Report = print,
        ready_timeout_s: float = 120.0,
        stop_grace_s: float = 10.0,
    ) -> None:
        self.home, self.specs, self.env, self.python = home, list(specs), dict(env or {}), python
        self.report, self.ready_timeout_s, self.stop_grace_s = report, ready_timeout_s, stop_grace_s
        #: Services this supervisor started (not found running), so an interrupted `up` stops only those.
        self.started: list[str] = []

    # -- where things are -------------------------------------------------------------------------
    def log_path(self, spec: ServiceSpec) -> Path:
        return self.home / f"{spec.name}.log"

    def marker(self, spec: ServiceSpec) -> str:
        return f"huifang.demo={self.home / spec.name}"

    def process(self, spec: ServiceSpec) -> ManagedProcess:
        return ManagedProcess(spec.name, self.home / f"{spec.name}.pid", marker=self.marker(spec))

    def argv(self, spec: ServiceSpec) -> list[str]:
        return [self.python, "-X", self.marker(spec), "-m", spec.module]

    def env_for(self, spec: ServiceSpec) -> dict[str, str]:
        # The supervisor owns the port so the URLs it prints are the ones the service listens on.
        return {**self.env, f"{spec.env_prefix}HTTP_PORT": str(spec.port), "PYTHONUNBUFFERED": "1"}

    def log_tail(self, spec: ServiceSpec, lines: int = LOG_TAIL_LINES) -> str:
        path = self.log_path(spec)
        if not path.exists():
            return ""
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    # -- lifecycle --------------------------------------------------------------------------------
    def up(self) -> list[Outcome]:
        """Start what is not running, then wait until every started service answers `/readyz`.

        Ctrl-C (KeyboardInterrupt) while starting or waiting stops the processes started here and
        re-raises; services found already running are left alone.
        """
        self.home.mkdir(parents=True, exist_ok=True)
        outcomes: dict[str, Outcome] = {}
        waiting: list[ServiceSpec] = []
        try:
            for spec in self.specs:
                problem = self._start(spec)
                if problem is None:
                    waiting.append(spec)
                else:
                    outcomes[spec.name] = problem
            outcomes |= self._wait_ready(waiting)
        except KeyboardInterrupt:
            self.report(f"interrupted: stopping {', '.join(self.started) or 'nothing'}")
            self.stop(self.started)
            raise
        return [outcomes[spec.name] for spec in self.specs]

    def _start(self, spec: ServiceSpec) -> Outcome | None:
        """Start one service; None when it is (now) running, else why it is not."""
        if self.process(spec).pid() is not None:
            self.report(f"  {spec.name:<10} already running")
            return None
        reason = why_not_runnable(spec.module)
        if reason is not None:
            self.report(f"  {spec.name:<10} not started: {reason}")
            return Outcome(spec.name, "missing", reason)
        if port_open(spec.port):
            detail = f"port {spec.port} is taken by another process (set HUIFANG_DEMO_PORT_OFFSET to move the demo)"
            self.report(f"  {spec.name:<10} not started: {detail}")
            return Outcome(spec.name, "failed", detail)
        pid = self.process(spec).start(self.argv(spec), self.log_path(spec), env=self.env_for(spec))
        self.started.append(spec.name)
        self.report(f"  {spec.name:<10} started, pid {pid}, log {self.log_path(spec)}")
        return None

    def _wait_ready(self, specs: list[ServiceSpec]) -> dict[str, Outcome]:
        outcomes: dict[str, Outcome] = {}
        pending = list(specs)
        began = time.monotonic()
        next_progress = began + _PROGRESS_EVERY_S
        while pending:
            for spec in list(pending):
                outcome = self._check(spec, began)
                if outcome is not None:
                    outcomes[spec.name] = outcome
                    pending.remove(spec)
            now = time.monotonic()
            if pending and now - began > self.ready_timeout_s:
                for spec in pending:
                    detail = f"not ready within {self.ready_timeout_s:.0f} s"
                    outcomes[spec.name] = self._failed(spec, detail)
                    self.stop([spec.name])  # half-started is worse than stopped: `up` again retries it
                break
            if pending and now >= next_progress:
                names = ", ".join(s.name for s in pending)
                self.report(f"  … waiting for {names} ({now - began:.0f} s of {self.ready_timeout_s:.0f} s)")
                next_progress = now + _PROGRESS_EVERY_S
            if pending:
                time.sleep(_POLL_S)
        return outcomes

    def _check(self, spec: ServiceSpec, began: float) -> Outcome | None:
        if self.process(spec).pid() is None:
            return self._failed(spec, "exited while starting")
        if answers_ready(spec.ready_url):
            seconds = time.monotonic() - began
            self.report(f"  {spec.name:<10} ready in {seconds:.1f} s at {spec.base_url}")
            return Outcome(spec.name, "ready", seconds=seconds)
        return None

    def _failed(self, spec: ServiceSpec, detail: str) -> Outcome:
        tail = self.log_tail(spec)
        self.report(f"  {spec.name:<10} FAILED: {detail}; the end of {self.log_path(spec)}:")
        self.report("\n".join(f"    | {line}" for line in tail.splitlines()) or "    | (empty log)")
        return Outcome(spec.name, "failed", detail)

    def stop(self, names: Sequence[str]) -> list[str]:
        """SIGTERM to each named service at once, SIGKILL to those still alive after the grace period."""
        running: list[tuple[ServiceSpec, psutil.Process]] = []
        for spec in self.specs:
            pid = self.process(spec).pid() if spec.name in names else None
            if pid is None:
                continue
            try:
                proc = psutil.Process(pid)
                proc.terminate()
            except psutil.NoSuchProcess:
                continue
            running.append((spec, proc))
        _, alive = psutil.wait_procs([proc for _, proc in running], timeout=self.stop_grace_s)
        for proc in alive:
            self.report(f"  pid {proc.pid} ignored SIGTERM for {self.stop_grace_s:.0f} s: SIGKILL")
            try:
                proc.kill()
            except psutil.NoSuchProcess:
                continue
        psutil.wait_procs(alive, timeout=5)
        for spec, _ in running:
            self.process(spec).pidfile.unlink(missing_ok=True)
        return [spec.name for spec, _ in running]

    def down(self) -> list[str]:
        """Stop every service of ours that is running; returns their names."""
        return self.stop([spec.name for spec in self.specs])

    def status(self) -> list[ServiceStatus]:
        found = []
        for spec in self.specs:
            managed = self.process(spec)
            pid = managed.pid()
            ready = pid is not None and answers_ready(spec.ready_url)
            found.append(ServiceStatus(spec.name, spec.base_url, pid, ready, managed.rss_bytes()))
        return found
