"""The trace viewer (issue 10, item 2, its platform part): `Stack.up` with the trace viewer runs a real
Zipkin from Maven Central; a span a service process exports through `setup_telemetry`'s Zipkin path is
found through Zipkin's own API; `down` stops Zipkin and only Zipkin (Kafka and PostgreSQL here are the
shared test servers, external to this stack). Zipkin starts once for the module (about 5 s).
"""

from __future__ import annotations

import json
import os
import random
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psutil
import pytest
from huifang_devstack import Stack, StackSettings
from huifang_devstack.zipkin import LocalZipkin
from huifang_devstack.zipkin_jar import zipkin_version

from tests.support.ports import free_port

pytestmark = pytest.mark.integration

# Run in a fresh interpreter: the tracer provider is process-wide, set once, as in a service process.
_EXPORT_ONE_SPAN = """
import sys
from opentelemetry import trace
from huifang_infra.telemetry import setup_telemetry

provider = setup_telemetry(sys.argv[1], instrument_libraries=False)
with trace.get_tracer("probe").start_as_current_span("OrderClosed received") as span:
    span.set_attribute("huifang.estate_id", "E-101")
    print(format(span.get_span_context().trace_id, "032x"))
assert provider.force_flush(10_000)
provider.shutdown()
"""


def _get(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=5) as response:
        return json.load(response)


def _zipkins_under(home: Path) -> list[psutil.Process]:
    marker = f"-Dhuifang.zipkin.home={home}"
    return [p for p in psutil.process_iter(["cmdline"]) if marker in (p.info["cmdline"] or [])]


@pytest.fixture(scope="module")
def viewer_stack(
    tmp_path_factory: pytest.TempPathFactory, kafka_bootstrap: str, admin_database_url: str
) -> Iterator[Stack]:
    settings = StackSettings(
        state_dir=tmp_path_factory.mktemp("trace-viewer"),
        zipkin_port=free_port(),
        trace_viewer=True,
        kafka_bootstrap_servers=kafka_bootstrap,  # the shared servers: this stack must never stop them
        database_url=admin_database_url,
    )
    stack = Stack(settings)
    try:
        stack.up()
        yield stack
    finally:
        stack.zipkin.down()
        for leftover in _zipkins_under(stack.zipkin.home):  # a failed start must not leave a JVM behind
            leftover.kill()


def test_up_with_the_trace_viewer_runs_zipkin_and_status_reports_it(viewer_stack: Stack) -> None:
    [zipkin] = [c for c in viewer_stack.status() if c.name.startswith("zipkin")]

    assert zipkin.name == f"zipkin {zipkin_version()}"
    assert zipkin.endpoint == f"http://127.0.0.1:{viewer_stack.settings.zipkin_port}"
    assert zipkin.healthy
    assert zipkin.pid is not None and _zipkins_under(viewer_stack.zipkin.home)[0].pid == zipkin.pid
    assert zipkin.rss_bytes is not None and zipkin.rss_bytes > 50 * 2**20
    assert _get(f"{zipkin.endpoint}/api/v2/services") is not None


def test_a_span_exported_by_setup_telemetry_is_found_through_the_zipkin_api(viewer_stack: Stack) -> None:
    service = f"probe-{random.randrange(16**8):08x}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_EXPORTER_OTLP")}
    env["OTEL_EXPORTER_ZIPKIN_ENDPOINT"] = viewer_stack.zipkin.spans_endpoint
    done = subprocess.run(
        [sys.executable, "-c", _EXPORT_ONE_SPAN, service], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    trace_id = done.stdout.strip()

    url = f"{viewer_stack.zipkin.base_url}/api/v2/traces?serviceName={service}&lookback=600000"
    deadline, traces = time.monotonic() + 15, []
    while not traces and time.monotonic() < deadline:
        traces = _get(url)
        time.sleep(0.2)

    [[span]] = traces
    assert span["traceId"] == trace_id
    assert span["name"] == "orderclosed received"  # Zipkin stores names lower-cased
    assert span["localEndpoint"]["serviceName"] == service
    assert span["tags"]["huifang.estate_id"] == "E-101"


def test_up_again_keeps_the_running_zipkin(viewer_stack: Stack) -> None:
    before = viewer_stack.zipkin.process.pid()

    viewer_stack.up()

    assert viewer_stack.zipkin.process.pid() == before


def test_a_stale_pid_file_is_never_signalled(tmp_path: Path) -> None:
    zipkin = LocalZipkin(cache=tmp_path, home=tmp_path / "zipkin", port=free_port())
    zipkin.home.mkdir()
    zipkin.process.pidfile.write_text(f"{os.getpid()}\n")  # a live pid that is not our Zipkin

    assert zipkin.process.pid() is None
    assert not zipkin.process.pidfile.exists()
    assert zipkin.down() is False


def test_down_stops_zipkin_only_and_leaves_no_process(viewer_stack: Stack, kafka_bootstrap: str) -> None:
    home = viewer_stack.zipkin.home

    stopped = viewer_stack.down()

    assert stopped == ["zipkin"]  # Kafka and PostgreSQL are external here: never ours to stop
    assert _zipkins_under(home) == []
    assert not viewer_stack.zipkin.process.pidfile.exists()
    assert [c.name for c in viewer_stack.status() if c.name.startswith("zipkin")] == [f"zipkin {zipkin_version()}"]
    assert not viewer_stack.zipkin.healthy()
    host, _, port = kafka_bootstrap.rpartition(":")
    with socket.create_connection((host, int(port)), timeout=2):
        pass  # the shared broker still answers
