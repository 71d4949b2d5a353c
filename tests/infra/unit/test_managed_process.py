"""A pid is trusted only while its process carries our marker; a command line the kernel momentarily
shows empty (a JVM mapping its heap at start-up) must not count as "not ours" and lose the pid file."""

from __future__ import annotations

import pytest
from huifang_devstack.process import _cmdline

pytestmark = pytest.mark.unit


class FakeProcess:
    def __init__(self, reads: list[list[str]]) -> None:
        self.reads = reads

    def cmdline(self) -> list[str]:
        return self.reads.pop(0) if len(self.reads) > 1 else self.reads[0]


def test_an_empty_read_is_read_again_until_the_command_line_shows() -> None:
    proc = FakeProcess([[], [], ["java", "-Dhuifang.zipkin.home=/s/zipkin", "-jar", "z.jar"]])

    assert _cmdline(proc) == ["java", "-Dhuifang.zipkin.home=/s/zipkin", "-jar", "z.jar"]  # type: ignore[arg-type]


def test_a_command_line_that_stays_empty_is_empty() -> None:
    assert _cmdline(FakeProcess([[]]), attempts=3) == []  # type: ignore[arg-type]
