"""Preconditions checked before starting anything, each failing with what to do about it."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess

from huifang_devstack.errors import StackError


def require_free_port(port: int, what: str, variable: str) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError as exc:
            raise StackError(
                f"port {port} on 127.0.0.1 is already taken, so {what} cannot listen there; "
                f"set {variable} to a free port (or point the stack at the running server)"
            ) from exc


def require_java(minimum: int = 17) -> str:
    java = shutil.which("java")
    if java is None:
        raise StackError(
            f"java not found: Kafka needs a Java runtime >= {minimum} "
            "(Debian: apt-get install openjdk-17-jre-headless), or set KAFKA_BOOTSTRAP_SERVERS "
            "to use an existing Kafka"
        )
    out = subprocess.run([java, "-version"], capture_output=True, text=True, check=False).stderr
    found = re.search(r'version "(\d+)', out)
    if found is None or int(found.group(1)) < minimum:
        raise StackError(f"java >= {minimum} is needed for Kafka 4; `java -version` says: {out.strip()}")
    return java


def require_maven(what: str = "the Kafka jars") -> str:
    mvn = shutil.which("mvn")
    if mvn is None:
        hint = "or set KAFKA_BOOTSTRAP_SERVERS to use an existing Kafka" if what == "the Kafka jars" else ""
        raise StackError(f"mvn not found: Maven fetches {what} (Debian: apt-get install maven) {hint}".strip())
    return mvn
