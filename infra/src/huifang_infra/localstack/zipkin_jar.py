"""Zipkin's self-contained server jar, resolved by Maven from `zipkin-pom.xml` into the ignored cache."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from huifang_infra.localstack.checks import require_maven
from huifang_infra.localstack.errors import StackError

ZIPKIN_POM = Path(__file__).with_name("zipkin-pom.xml")
JAR_NAME = "zipkin-server-exec.jar"


def zipkin_version() -> str:
    found = re.search(r"<zipkin.version>([^<]+)</zipkin.version>", ZIPKIN_POM.read_text())
    if found is None:
        raise StackError(f"{ZIPKIN_POM} does not name a zipkin.version")
    return found.group(1)


def ensure_zipkin_jar(cache: Path) -> Path:
    """Return the path of the exec jar, fetching it first if absent.

    As with Kafka's jars, Maven writes into a temporary folder renamed only when complete, so an
    interrupted download never leaves a truncated jar that a later start would trust.
    """
    folder = cache / f"zipkin-{zipkin_version()}"
    jar = folder / JAR_NAME
    if (folder / ".complete").exists() and jar.exists():
        return jar
    mvn = require_maven("the Zipkin server jar")
    partial = folder.with_name(folder.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    cmd = [
        mvn,
        "-q",
        "-B",
        f"-Dmaven.repo.local={cache / 'm2'}",
        "-f",
        str(ZIPKIN_POM),
        "dependency:copy",
        f"-DoutputDirectory={partial}",
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0 or not (partial / JAR_NAME).exists():
        tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-15:])
        raise StackError(
            "fetching the Zipkin server jar with Maven failed (is Maven Central reachable? a proxy set in "
            f"~/.m2/settings.xml?); the stack runs without a trace viewer when HUIFANG_TRACE_VIEWER=0:\n{tail}"
        )
    (partial / ".complete").write_text(zipkin_version() + "\n")
    shutil.rmtree(folder, ignore_errors=True)
    partial.rename(folder)
    return jar
