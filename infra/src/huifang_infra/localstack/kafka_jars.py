"""Kafka's jars, resolved by Maven from `pom.xml` into the ignored cache, once per Kafka version."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from huifang_infra.localstack.checks import require_maven
from huifang_infra.localstack.errors import StackError

POM = Path(__file__).with_name("pom.xml")
LOG4J_CONFIG = Path(__file__).with_name("log4j2.properties")


def kafka_version() -> str:
    found = re.search(r"<kafka.version>([^<]+)</kafka.version>", POM.read_text())
    if found is None:
        raise StackError(f"{POM} does not name a kafka.version")
    return found.group(1)


def ensure_kafka_jars(cache: Path) -> Path:
    """Return the folder of jars, fetching it first if absent.

    Maven writes into a temporary folder that is renamed only when complete, so an interrupted or
    failed download never leaves a half classpath behind that a later start would trust.
    """
    libs = cache / f"kafka-{kafka_version()}" / "libs"
    if (libs / ".complete").exists():
        return libs
    mvn = require_maven()
    partial = libs.with_name("libs.partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    cmd = [
        mvn,
        "-q",
        "-B",
        f"-Dmaven.repo.local={cache / 'm2'}",
        "-f",
        str(POM),
        "dependency:copy-dependencies",
        f"-DoutputDirectory={partial}",
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0 or not any(partial.glob("kafka_2.13-*.jar")):
        tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-15:])
        raise StackError(
            "fetching the Kafka jars with Maven failed (is Maven Central reachable? a proxy set in "
            f"~/.m2/settings.xml?), or set KAFKA_BOOTSTRAP_SERVERS to use an existing Kafka:\n{tail}"
        )
    (partial / ".complete").write_text(kafka_version() + "\n")
    shutil.rmtree(libs, ignore_errors=True)
    partial.rename(libs)
    return libs
