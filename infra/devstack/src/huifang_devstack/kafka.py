"""A single-node Apache Kafka in KRaft mode (combined broker + controller) run with the machine's java."""

from __future__ import annotations

import asyncio
import base64
import subprocess
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from huifang_infra.probes import metadata_ok, port_open

from huifang_devstack.checks import require_free_port, require_java
from huifang_devstack.errors import StackError
from huifang_devstack.kafka_jars import LOG4J_CONFIG, ensure_kafka_jars
from huifang_devstack.process import ManagedProcess

READY_TIMEOUT_S = 90.0


def _server_properties(port: int, data: Path) -> str:
    return f"""\
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:{port + 1}
listeners=PLAINTEXT://127.0.0.1:{port},CONTROLLER://127.0.0.1:{port + 1}
advertised.listeners=PLAINTEXT://127.0.0.1:{port}
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs={data}
num.partitions=12
default.replication.factor=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=12
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
auto.create.topics.enable=false
group.initial.rebalance.delay.ms=0
log.retention.hours=-1
# The log cleaner (compacted topics: the consumer offsets) allocates its dedupe buffer on the heap at
# start; Kafka's 128 MB default would be half of this small broker's heap.
log.cleaner.dedupe.buffer.size=16777216
"""


def _cluster_id() -> str:
    """Kafka's own id format: url-safe base64 of 16 random bytes, never starting with '-'."""
    while True:
        cid = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
        if not cid.startswith("-"):
            return cid


@dataclass
class LocalKafka:
    cache: Path
    home: Path
    port: int
    heap_mb: int

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def data(self) -> Path:
        return self.home / "data"

    @property
    def log(self) -> Path:
        return self.home / "broker.log"

    @property
    def process(self) -> ManagedProcess:
        return ManagedProcess("kafka", self.home / "kafka.pid", marker=str(self.home / "server.properties"))

    def up(self) -> None:
        if self.process.pid() is not None:
            self._wait_ready(started=None)
            return
        require_free_port(self.port, "Kafka", "HUIFANG_KAFKA_PORT")
        require_free_port(self.port + 1, "the Kafka controller", "HUIFANG_KAFKA_PORT")
        java = require_java()
        libs = ensure_kafka_jars(self.cache)
        self.home.mkdir(parents=True, exist_ok=True)
        props = self.home / "server.properties"
        props.write_text(_server_properties(self.port, self.data))
        if not (self.data / "meta.properties").exists():
            self._format(java, libs, props)
        argv = [
            java,
            f"-Xms{min(64, self.heap_mb)}m",
            f"-Xmx{self.heap_mb}m",
            # One small heap on a machine shared with PostgreSQL and five services: the serial
            # collector has no remembered sets or GC threads to keep resident (G1's cost ~10% of
            # the heap and more), and its pauses on a few hundred MB are a few ms.
            "-XX:+UseSerialGC",
            "-XX:ReservedCodeCacheSize=64m",
            "-Djava.awt.headless=true",
            f"-Dlog4j2.configurationFile={LOG4J_CONFIG}",
            "-cp",
            f"{libs}/*",
            "kafka.Kafka",
            str(props),
        ]
        started = time.monotonic()
        self.process.start(argv, self.log)
        self._wait_ready(started)

    def _format(self, java: str, libs: Path, props: Path) -> None:
        cmd = [java, "-cp", f"{libs}/*", f"-Dlog4j2.configurationFile={LOG4J_CONFIG}"]
        cmd += ["kafka.tools.StorageTool", "format", "-t", _cluster_id(), "-c", str(props)]
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise StackError(f"formatting the Kafka log directory failed:\n{done.stdout}{done.stderr}")

    def _wait_ready(self, started: float | None) -> None:
        deadline = time.monotonic() + READY_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.exited_early():
                raise StackError(f"Kafka exited while starting; the end of {self.log}:\n{self.log_tail(30)}")
            if port_open(self.port) and asyncio.run(metadata_ok(self.bootstrap)):
                if started is not None:
                    self.start_seconds = time.monotonic() - started
                return
            time.sleep(0.3)
        raise StackError(f"Kafka did not answer within {READY_TIMEOUT_S:.0f} s; see {self.log}")

    start_seconds: float | None = None

    def down(self) -> bool:
        return self.process.stop(timeout=60)

    def healthy(self) -> bool:
        return self.process.pid() is not None and asyncio.run(metadata_ok(self.bootstrap))

    def log_tail(self, lines: int) -> str:
        if not self.log.exists():
            return ""
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
