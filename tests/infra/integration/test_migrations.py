"""Numbered SQL migrations: order, once only, edited files refused, concurrent starters (issue 4, item 6)."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest
from huifang_devstack.cli import app
from huifang_infra.db import connect
from huifang_infra.migrations import (
    MigrationInvalid,
    MigrationSource,
    discover,
    infra_migrations,
    migrate,
    service_migrations,
    status,
)
from typer.testing import CliRunner

pytestmark = pytest.mark.integration


@pytest.fixture
async def conn(database_url: str) -> AsyncIterator[asyncpg.Connection]:
    conn = await connect(database_url)
    yield conn
    await conn.close()


@pytest.fixture
def service_folder(tmp_path: Path) -> Path:
    """A service whose first migration reads infra's `events` table: it only works after infra's."""
    folder = tmp_path / "migrations"
    folder.mkdir()
    (folder / "0001_callbacks.sql").write_text(
        "CREATE TABLE callbacks (id text PRIMARY KEY, group_id text NOT NULL, estate_id text NOT NULL);\n"
        "CREATE VIEW callback_events AS SELECT * FROM events WHERE stream_id LIKE 'callback-%';\n"
    )
    (folder / "0002_callbacks_due.sql").write_text("ALTER TABLE callbacks ADD COLUMN due_at timestamptz;\n")
    return folder


def labels(source: MigrationSource) -> list[str]:
    return [m.label for m in discover(source)]


async def test_infra_then_service_files_are_applied_in_order_and_recorded(
    conn: asyncpg.Connection, service_folder: Path
) -> None:
    sources = [infra_migrations(), MigrationSource("callback", service_folder)]

    applied = await migrate(conn, sources)

    assert applied[0] == "infra/0001_event_store.sql"
    assert applied == [*labels(sources[0]), "callback/0001_callbacks.sql", "callback/0002_callbacks_due.sql"]
    rows = await conn.fetch("SELECT component, version, name FROM schema_migrations ORDER BY applied_at, component")
    assert [(r["component"], r["version"]) for r in rows][-2:] == [("callback", 1), ("callback", 2)]
    assert await conn.fetchval("SELECT to_regclass('events')") is not None
    assert await conn.fetchval("SELECT count(*) FROM schema_migrations WHERE component = 'infra'") == len(
        labels(sources[0])
    )


async def test_a_second_run_applies_nothing(conn: asyncpg.Connection, service_folder: Path) -> None:
    sources = [infra_migrations(), MigrationSource("callback", service_folder)]
    await migrate(conn, sources)

    assert await migrate(conn, sources) == []


async def test_a_new_file_is_applied_on_the_next_run(conn: asyncpg.Connection, service_folder: Path) -> None:
    sources = [infra_migrations(), MigrationSource("callback", service_folder)]
    await migrate(conn, sources)
    (service_folder / "0003_callbacks_index.sql").write_text("CREATE INDEX callbacks_due ON callbacks (due_at);\n")

    assert await migrate(conn, sources) == ["callback/0003_callbacks_index.sql"]


async def test_an_edited_applied_file_is_refused_by_name_and_nothing_is_applied(
    conn: asyncpg.Connection, service_folder: Path
) -> None:
    sources = [infra_migrations(), MigrationSource("callback", service_folder)]
    await migrate(conn, sources)
    edited = service_folder / "0001_callbacks.sql"
    edited.write_text(edited.read_text() + "-- a harmless-looking edit\n")
    (service_folder / "0003_more.sql").write_text("CREATE TABLE more (id int);\n")

    with pytest.raises(MigrationInvalid, match=re.escape(str(edited))):
        await migrate(conn, sources)

    assert await conn.fetchval("SELECT to_regclass('more')") is None


async def test_a_failing_file_leaves_no_trace_and_earlier_files_stay(
    conn: asyncpg.Connection, service_folder: Path
) -> None:
    (service_folder / "0003_broken.sql").write_text("CREATE TABLE half (id int);\nSELECT no_such_function();\n")
    sources = [infra_migrations(), MigrationSource("callback", service_folder)]

    with pytest.raises(asyncpg.UndefinedFunctionError):
        await migrate(conn, sources)

    assert await conn.fetchval("SELECT to_regclass('half')") is None
    versions = await conn.fetch("SELECT version FROM schema_migrations WHERE component = 'callback' ORDER BY version")
    assert [r["version"] for r in versions] == [1, 2]


async def test_concurrent_starters_apply_each_file_exactly_once(database_url: str, service_folder: Path) -> None:
    sources = [infra_migrations(), MigrationSource("callback", service_folder)]
    conns = [await connect(database_url) for _ in range(6)]
    try:
        results = await asyncio.gather(*(migrate(c, sources) for c in conns))
    finally:
        for c in conns:
            await c.close()

    everything = labels(sources[0]) + labels(sources[1])
    assert sorted(label for result in results for label in result) == sorted(everything)
    assert sum(1 for result in results if result) == 1


async def test_status_tells_applied_pending_and_changed(conn: asyncpg.Connection, service_folder: Path) -> None:
    sources = [infra_migrations(), MigrationSource("callback", service_folder)]
    assert {s.state for s in await status(conn, sources)} == {"pending"}
    await migrate(conn, sources)
    (service_folder / "0002_callbacks_due.sql").write_text("ALTER TABLE callbacks ADD COLUMN due_on date;\n")
    (service_folder / "0003_more.sql").write_text("SELECT 1;\n")

    states = {s.migration.label: s.state for s in await status(conn, sources)}

    assert states["infra/0001_event_store.sql"] == "applied"
    assert states["callback/0001_callbacks.sql"] == "applied"
    assert states["callback/0002_callbacks_due.sql"] == "changed"
    assert states["callback/0003_more.sql"] == "pending"


def test_badly_named_and_duplicate_files_are_errors(tmp_path: Path) -> None:
    (tmp_path / "1_first.sql").write_text("SELECT 1;")
    with pytest.raises(MigrationInvalid, match=r"0001_what_it_does\.sql"):
        discover(MigrationSource("svc", tmp_path))

    (tmp_path / "1_first.sql").unlink()
    (tmp_path / "0001_a.sql").write_text("SELECT 1;")
    (tmp_path / "0001_b.sql").write_text("SELECT 1;")
    with pytest.raises(MigrationInvalid, match=r"version 1 also used by 0001_a\.sql"):
        discover(MigrationSource("svc", tmp_path))


def test_a_missing_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(MigrationInvalid, match="no migrations folder"):
        discover(MigrationSource("svc", tmp_path / "absent"))


def test_a_service_folder_is_found_beside_its_package() -> None:
    source = service_migrations("callback")

    assert source.component == "callback"
    assert source.folder.parts[-3:] == ("services", "callback", "migrations")


def test_cli_migrates_then_reports_status(database_url: str, service_folder: Path) -> None:
    runner = CliRunner()
    args = ["--service", "callback", "--database-url", database_url, "--folder", str(service_folder)]

    first = runner.invoke(app, ["db", "migrate", *args])
    second = runner.invoke(app, ["db", "migrate", *args])
    shown = runner.invoke(app, ["db", "status", *args])

    assert first.exit_code == 0, first.output
    assert "applied infra/0001_event_store.sql" in first.output
    assert "applied callback/0002_callbacks_due.sql" in first.output
    assert "0 applied, database up to date" in second.output
    assert shown.exit_code == 0
    assert "callback/0002_callbacks_due.sql" in shown.output and "pending" not in shown.output


def test_cli_refuses_an_edited_file_with_exit_code_1(database_url: str, service_folder: Path) -> None:
    runner = CliRunner()
    args = ["--service", "callback", "--database-url", database_url, "--folder", str(service_folder)]
    runner.invoke(app, ["db", "migrate", *args])
    (service_folder / "0001_callbacks.sql").write_text("SELECT 'edited';\n")

    result = runner.invoke(app, ["db", "migrate", *args])

    assert result.exit_code == 1
    assert "0001_callbacks.sql" in result.output
