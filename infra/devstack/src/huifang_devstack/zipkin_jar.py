"""Zipkin's self-contained server jar, resolved by Maven from `zipkin-pom.xml` into the ignored cache."""

from __future__ import annotations

from pathlib import Path

from huifang_devstack.maven import fetch_once, pom_property

ZIPKIN_POM = Path(__file__).with_name("zipkin-pom.xml")
JAR_NAME = "zipkin-server-exec.jar"


def zipkin_version() -> str:
    return pom_property(ZIPKIN_POM, "zipkin.version")


def ensure_zipkin_jar(cache: Path) -> Path:
    """Return the path of the exec jar, fetching it first if absent."""
    folder = fetch_once(
        cache / f"zipkin-{zipkin_version()}",
        ZIPKIN_POM,
        "dependency:copy",
        what="the Zipkin server jar",
        fetched=lambda folder: (folder / JAR_NAME).exists(),
        advice="the stack runs without a trace viewer when HUIFANG_TRACE_VIEWER=0",
        cache=cache,
    )
    return folder / JAR_NAME
