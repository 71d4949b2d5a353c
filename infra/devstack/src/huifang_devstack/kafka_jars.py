"""Kafka's jars, resolved by Maven from `pom.xml` into the ignored cache, once per Kafka version."""

from __future__ import annotations

from pathlib import Path

from huifang_devstack.maven import fetch_once, pom_property

POM = Path(__file__).with_name("pom.xml")
LOG4J_CONFIG = Path(__file__).with_name("log4j2.properties")


def kafka_version() -> str:
    return pom_property(POM, "kafka.version")


def ensure_kafka_jars(cache: Path) -> Path:
    """Return the folder of jars, fetching it first if absent."""
    return fetch_once(
        cache / f"kafka-{kafka_version()}" / "libs",
        POM,
        "dependency:copy-dependencies",
        what="the Kafka jars",
        fetched=lambda folder: any(folder.glob("kafka_2.13-*.jar")),
        advice="or set KAFKA_BOOTSTRAP_SERVERS to use an existing Kafka",
        cache=cache,
    )
