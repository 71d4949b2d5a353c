"""Clear messages, not stack traces, when the machine lacks something (issue: foundation, item 2)."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from huifang_devstack import Stack, StackError, StackSettings
from huifang_devstack.checks import require_java, require_maven

pytestmark = pytest.mark.unit


def test_a_taken_port_names_the_variable_to_change(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = int(taken.getsockname()[1])
        stack = Stack(StackSettings(state_dir=tmp_path, kafka_port=port, kafka_bootstrap_servers=None, stack="local"))
        with pytest.raises(StackError, match="HUIFANG_KAFKA_PORT"):
            stack.kafka.up()


def test_missing_java_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(StackError, match=r"java not found.*KAFKA_BOOTSTRAP_SERVERS"):
        require_java()


def test_missing_maven_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(StackError, match=r"mvn not found.*apt-get install maven"):
        require_maven()


def test_existing_servers_replace_local_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", "kafka.example:9092")
    monkeypatch.setenv("HUIFANG_DATABASE_URL", "postgresql://u:p@db.example:5432/postgres")
    stack = Stack(StackSettings())
    assert stack.kafka_external and stack.postgres_external
    assert stack.kafka_bootstrap == "kafka.example:9092"
    assert stack.database_url("callback") == "postgresql://u:p@db.example:5432/huifang_callback"
