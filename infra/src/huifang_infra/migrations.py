"""Numbered SQL files applied in order, once, recorded in `schema_migrations`.

A small runner rather than a kept library (yoyo-migrations, alembic): our migrations are plain SQL
files, forward only, and we need exactly four things — several sources in one database (infra's
tables, then the service's), one transaction per file, a checksum that catches an edited applied file,
and a lock so replicas starting together do not race. That is a page of code on asyncpg, which every
service already uses; a library would bring a second driver (psycopg) and its own config format.

Files are named `0001_what_it_does.sql`. Each runs with the simple query protocol (several statements
allowed) inside its own transaction, so a file applies completely or not at all. Statements that
refuse transactions (`CREATE INDEX CONCURRENTLY`) cannot be used here.
"""

from __future__ import annotations

import hashlib
import importlib.util
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import asyncpg

from huifang_infra.db import Connection, Pool

#: One advisory lock per database serialises concurrent runners ("huifang" in ASCII).
_LOCK_KEY = 0x68756966616E67
_FILE_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")

_CREATE_TABLE = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    component  text        NOT NULL,
    version    int         NOT NULL,
    name       text        NOT NULL,
    checksum   text        NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (component, version)
)"""


class MigrationInvalid(Exception):
    """A folder or file that cannot be applied as it stands (bad name, duplicate version, edited)."""


@dataclass(frozen=True)
class MigrationSource:
    """A folder of numbered SQL files owned by one component (`infra` or a service name)."""

    component: str
    folder: Path


@dataclass(frozen=True)
class Migration:
    component: str
    version: int
    name: str
    path: Path
    sql: str
    checksum: str

    @property
    def label(self) -> str:
        return f"{self.component}/{self.name}"


@dataclass(frozen=True)
class MigrationState:
    migration: Migration
    state: Literal["applied", "pending", "changed"]


def infra_migrations() -> MigrationSource:
    """The shared tables every service database has: events, outbox, inbox."""
    return MigrationSource("infra", Path(__file__).parent / "sql")


def service_migrations(service: str, folder: Path | None = None) -> MigrationSource:
    """`services/<service>/migrations`, found beside the installed `huifang_<service>` package."""
    if folder is None:
        spec = importlib.util.find_spec(f"huifang_{service}")
        if spec is None or not spec.submodule_search_locations:
            raise MigrationInvalid(f"package huifang_{service} not found; pass the migrations folder explicitly")
        # services/<service>/src/huifang_<service> → services/<service>/migrations
        folder = Path(next(iter(spec.submodule_search_locations))).parents[1] / "migrations"
    return MigrationSource(service, folder)


def discover(source: MigrationSource) -> list[Migration]:
    """The source's migrations by version; a stray or duplicate file is an error, not skipped."""
    if not source.folder.is_dir():
        raise MigrationInvalid(f"{source.component}: no migrations folder at {source.folder}")
    found: dict[int, Migration] = {}
    for path in sorted(source.folder.glob("*.sql")):
        match = _FILE_NAME.match(path.name)
        if match is None:
            raise MigrationInvalid(f"{path}: name must look like 0001_what_it_does.sql")
        version = int(match.group(1))
        if version in found:
            raise MigrationInvalid(f"{path}: version {version} also used by {found[version].name}")
        # Line endings normalised: a checkout on another platform is not an edit.
        sql = path.read_text(encoding="utf-8").replace("\r\n", "\n")
        checksum = hashlib.sha256(sql.encode()).hexdigest()
        found[version] = Migration(source.component, version, path.name, path, sql, checksum)
    return [found[v] for v in sorted(found)]


async def migrate(target: Connection | Pool, sources: list[MigrationSource]) -> list[str]:
    """Apply what is pending, source by source, in order; return `component/file` of each applied."""
    if isinstance(target, asyncpg.Pool):
        async with target.acquire() as conn:
            return await _migrate(conn, sources)
    return await _migrate(target, sources)


async def status(target: Connection | Pool, sources: list[MigrationSource]) -> list[MigrationState]:
    """Each known migration and whether it is applied, pending, or edited since it was applied."""
    if isinstance(target, asyncpg.Pool):
        async with target.acquire() as conn:
            return await _status(conn, sources)
    return await _status(target, sources)


async def _migrate(conn: Connection, sources: list[MigrationSource]) -> list[str]:
    plan = _plan(sources)
    # A session lock, not a transaction one: the run spans one transaction per file.
    await conn.execute("SELECT pg_advisory_lock($1)", _LOCK_KEY)
    try:
        await conn.execute(_CREATE_TABLE)
        states = await _states(conn, plan)
        # Refuse before applying anything: a later file may depend on what the edited one now says.
        changed = [str(s.migration.path) for s in states if s.state == "changed"]
        if changed:
            raise MigrationInvalid(f"edited after being applied (checksum differs): {', '.join(changed)}")
        pending = [s.migration for s in states if s.state == "pending"]
        for migration in pending:
            await _apply(conn, migration)
        return [m.label for m in pending]
    finally:
        await conn.execute("SELECT pg_advisory_unlock($1)", _LOCK_KEY)


async def _status(conn: Connection, sources: list[MigrationSource]) -> list[MigrationState]:
    plan = _plan(sources)
    if await conn.fetchval("SELECT to_regclass('schema_migrations')") is None:
        return [MigrationState(m, "pending") for m in plan]
    return await _states(conn, plan)


def _plan(sources: list[MigrationSource]) -> list[Migration]:
    components = [s.component for s in sources]
    if len(set(components)) != len(components):
        raise MigrationInvalid(f"a component appears twice in {components}")
    return [m for source in sources for m in discover(source)]


async def _states(conn: Connection, plan: list[Migration]) -> list[MigrationState]:
    rows = await conn.fetch("SELECT component, version, checksum FROM schema_migrations")
    recorded = {(r["component"], r["version"]): r["checksum"] for r in rows}
    states: list[MigrationState] = []
    for m in plan:
        checksum = recorded.get((m.component, m.version))
        state: Literal["applied", "pending", "changed"] = (
            "pending" if checksum is None else "applied" if checksum == m.checksum else "changed"
        )
        states.append(MigrationState(m, state))
    return states


async def _apply(conn: Connection, migration: Migration) -> None:
    async with conn.transaction():
        await conn.execute(migration.sql)
        await conn.execute(
            "INSERT INTO schema_migrations (component, version, name, checksum) VALUES ($1, $2, $3, $4)",
            migration.component,
            migration.version,
            migration.name,
            migration.checksum,
        )
