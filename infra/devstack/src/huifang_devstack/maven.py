"""Fetching jars with Maven into the ignored cache, all or nothing.

Maven writes into a temporary folder that is renamed only when complete, so an interrupted or failed
download never leaves a half classpath (or a truncated jar) behind that a later start would trust.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from huifang_devstack.checks import require_maven
from huifang_devstack.errors import StackError


def pom_property(pom: Path, name: str) -> str:
    """A `<name>value</name>` property of a pom (the version it pins)."""
    found = re.search(rf"<{re.escape(name)}>([^<]+)</{re.escape(name)}>", pom.read_text())
    if found is None:
        raise StackError(f"{pom} does not name a {name}")
    return found.group(1)


def fetch_once(
    target: Path,
    pom: Path,
    goal: str,
    *,
    what: str,
    fetched: Callable[[Path], bool],
    advice: str,
    cache: Path,
) -> Path:
    """`target` (a folder) filled by `mvn -f pom goal`, fetched only when not already complete."""
    if (target / ".complete").exists() and fetched(target):
        return target
    mvn = require_maven(what)
    partial = target.with_name(target.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    cmd = [mvn, "-q", "-B", f"-Dmaven.repo.local={cache / 'm2'}", "-f", str(pom), goal, f"-DoutputDirectory={partial}"]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0 or not fetched(partial):
        tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-15:])
        raise StackError(
            f"fetching {what} with Maven failed (is Maven Central reachable? a proxy set in "
            f"~/.m2/settings.xml?); {advice}:\n{tail}"
        )
    (partial / ".complete").write_text(pom.name + "\n")
    shutil.rmtree(target, ignore_errors=True)
    partial.rename(target)
    return target
