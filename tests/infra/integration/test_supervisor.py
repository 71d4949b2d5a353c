"""The demo's process supervisor on real processes (issue 10, the platform part): a service started as
`python -m …` is seen ready through `/readyz`, stopped with SIGTERM (SIGKILL after the grace period),
and leaves no process behind; what cannot start is reported, never a crash; Ctrl-C stops what `up` started.
"""

from __future__ import annotations

import json
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
from huifang_demo import Outcome, ServiceSpec, Supervisor

from tests.support.ports import free_port

pytestmark = pytest.mark.integration

TINY = "tests.infra.fixtures.tiny_app"


def _ours(home: Path) -> list[psutil.Process]:
    """Live processes whose command line carries a marker under `home`."""
    found = []
    for proc in psutil.process_iter(["cmdline", "status"]):
        if proc.info["status"] != psutil.STATUS_ZOMBIE and str(home) in " ".join(proc.info["cmdline"] or []):
            found.append(proc)
    return found


@pytest.fixture
def home(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path
    for proc in _ours(tmp_path):  # a failed test must not leave a process behind for the next one
        proc.kill()


def _supervisor(home: Path, *specs: ServiceSpec, lines: list[str] | None = None, **kwargs: object) -> Supervisor:
    report = lines.append if lines is not None else (lambda _line: None)
    return Supervisor(home, specs, report=report, ready_timeout_s=60, stop_grace_s=5, **kwargs)  # type: ignore[arg-type]


def _get_json(url: str) -> dict[str, object]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return dict(json.load(response))


def test_a_service_process_is_seen_ready_then_stopped_leaving_nothing(home: Path) -> None:
    spec = ServiceSpec("tiny", free_port(), TINY)
    supervisor = _supervisor(home, spec)

    outcomes = supervisor.up()

    assert [(o.name, o.state) for o in outcomes] == [("tiny", "ready")]
    pid = supervisor.process(spec).pid()
    assert pid is not None
    assert psutil.Process(pid).cmdline()[-2:] == ["-m", TINY]
    # The port came from TINY_HTTP_PORT and the marker reached the interpreter, not the program's argv.
    assert _get_json(spec.ready_url) == {"status": "ok", "marker": str(home / "tiny")}
    [status] = supervisor.status()
    assert (status.name, status.pid, status.ready) == ("tiny", pid, True)
    assert status.rss_bytes is not None and status.rss_bytes > 10 * 2**20

    assert supervisor.down() == ["tiny"]

    assert _ours(home) == []
    assert not (home / "tiny.pid").exists()
    assert supervisor.status()[0].pid is None
    assert supervisor.down() == []


def test_up_twice_keeps_the_running_process(home: Path) -> None:
    spec = ServiceSpec("tiny", free_port(), TINY)
    _supervisor(home, spec).up()
    first = _supervisor(home, spec).process(spec).pid()
    lines: list[str] = []
    again = _supervisor(home, spec, lines=lines)

    outcomes = again.up()

    assert [(o.name, o.state) for o in outcomes] == [("tiny", "ready")]
    assert again.process(spec).pid() == first
    assert again.started == []
    assert any("already running" in line for line in lines)
    again.down()


def test_a_package_without_main_is_reported_and_the_others_still_start(home: Path) -> None:
    no_main = ServiceSpec("nomain", free_port(), "tests.infra.fixtures.no_main")
    absent = ServiceSpec("absent", free_port(), "huifang_not_a_service")
    tiny = ServiceSpec("tiny", free_port(), TINY)
    supervisor = _supervisor(home, no_main, absent, tiny)

    outcomes = supervisor.up()

    assert [(o.name, o.state) for o in outcomes] == [("nomain", "missing"), ("absent", "missing"), ("tiny", "ready")]
    assert "tests.infra.fixtures.no_main has no __main__ yet" in outcomes[0].detail
    assert "huifang_not_a_service is not installed" in outcomes[1].detail
    assert supervisor.started == ["tiny"]
    supervisor.down()


def test_a_service_dying_at_start_fails_at_once_with_its_log_tail(home: Path) -> None:
    spec = ServiceSpec("crash", free_port(), "tests.infra.fixtures.crashing_app")
    lines: list[str] = []
    supervisor = _supervisor(home, spec, lines=lines)
    began = time.monotonic()

    outcomes = supervisor.up()

    assert outcomes == [Outcome("crash", "failed", "exited while starting")]
    assert time.monotonic() - began < 20  # not the 60 s readiness timeout
    assert any("cannot reach the database huifang_crash" in line for line in lines)
    assert _ours(home) == []


def test_a_process_ignoring_sigterm_is_killed_after_the_grace_period(home: Path) -> None:
    spec = ServiceSpec("stubborn", free_port(), "tests.infra.fixtures.stubborn_app")
    lines: list[str] = []
    supervisor = Supervisor(home, [spec], report=lines.append, ready_timeout_s=60, stop_grace_s=1.5)
    assert [o.state for o in supervisor.up()] == ["ready"]
    began = time.monotonic()

    assert supervisor.down() == ["stubborn"]

    assert 1.5 <= time.monotonic() - began < 8
    assert any("ignored SIGTERM" in line for line in lines)
    assert _ours(home) == []


def test_ctrl_c_while_waiting_stops_only_what_this_up_started(home: Path) -> None:
    running = ServiceSpec("running", free_port(), TINY)
    _supervisor(home, running).up()
    slow = ServiceSpec("slow", free_port(), TINY)
    interrupted: list[str] = []

    def press_ctrl_c_once(line: str) -> None:
        interrupted.append(line)
        if "waiting for slow" in line and sum("waiting for" in seen for seen in interrupted) == 1:
            raise KeyboardInterrupt

    supervisor = Supervisor(
        home, [running, slow], env={"TINY_READY_DELAY_S": "60"}, report=press_ctrl_c_once, ready_timeout_s=60
    )

    with pytest.raises(KeyboardInterrupt):
        supervisor.up()

    assert supervisor.started == ["slow"]
    assert supervisor.process(slow).pid() is None
    assert [str(home / "running") in " ".join(p.cmdline()) for p in _ours(home)] == [True]
    supervisor.down()
    assert _ours(home) == []


def test_a_stale_pid_file_is_never_signalled(home: Path) -> None:
    spec = ServiceSpec("tiny", free_port(), TINY)
    stranger = subprocess.Popen(["sleep", "60"])  # somebody else's process, now holding "our" old pid
    try:
        (home / "tiny.pid").write_text(f"{stranger.pid}\n")
        supervisor = _supervisor(home, spec)

        assert supervisor.status()[0].pid is None
        assert supervisor.down() == []
        assert stranger.poll() is None
        assert not (home / "tiny.pid").exists()
    finally:
        stranger.kill()
        stranger.wait()
