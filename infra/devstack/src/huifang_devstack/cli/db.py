"""`huifang db migrate | status`: a service database's tables, infra's first, then the service's own."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated, NoReturn

import asyncpg
import typer
from huifang_infra.db import connect
from huifang_infra.migrations import (
    MigrationInvalid,
    MigrationSource,
    MigrationState,
    infra_migrations,
    migrate,
    service_migrations,
    status,
)
from huifang_infra.settings import default_database_url

db_app = typer.Typer(help="Apply and inspect a service database's migrations.", no_args_is_help=True)

Service = Annotated[str, typer.Option("--service", "-s", help="callback, intake, … (database huifang_<service>)")]
DatabaseUrl = Annotated[
    str | None, typer.Option("--database-url", help="default: the stack's server, database huifang_<service>")
]
Folder = Annotated[
    Path | None, typer.Option("--folder", help="the service's migrations; default services/<service>/migrations")
]


@db_app.command("migrate")
def migrate_command(service: Service, database_url: DatabaseUrl = None, folder: Folder = None) -> None:
    """Apply pending migrations: infra's tables, then the service's; print each file applied."""
    url = database_url or default_database_url(service)
    try:
        applied = asyncio.run(_migrate(url, _sources(service, folder)))
    except (MigrationInvalid, asyncpg.PostgresError, OSError) as exc:
        _fail(str(exc))
    for label in applied:
        typer.echo(f"applied {label}")
    typer.echo(f"{len(applied)} applied, database up to date")


@db_app.command("status")
def status_command(service: Service, database_url: DatabaseUrl = None, folder: Folder = None) -> None:
    """List every migration as applied, pending or changed; exit 1 when one was changed."""
    url = database_url or default_database_url(service)
    try:
        states = asyncio.run(_status(url, _sources(service, folder)))
    except (MigrationInvalid, asyncpg.PostgresError, OSError) as exc:
        _fail(str(exc))
    for item in states:
        colour = {"applied": typer.colors.GREEN, "pending": typer.colors.YELLOW}.get(item.state, typer.colors.RED)
        typer.echo(f"{item.migration.label:<48} {typer.style(item.state, fg=colour)}")
    if any(item.state == "changed" for item in states):
        raise typer.Exit(code=1)


def _sources(service: str, folder: Path | None) -> list[MigrationSource]:
    return [infra_migrations(), service_migrations(service, folder)]


async def _migrate(url: str, sources: list[MigrationSource]) -> list[str]:
    conn = await connect(url)
    try:
        return await migrate(conn, sources)
    finally:
        await conn.close()


async def _status(url: str, sources: list[MigrationSource]) -> list[MigrationState]:
    conn = await connect(url)
    try:
        return await status(conn, sources)
    finally:
        await conn.close()


def _fail(message: str) -> NoReturn:
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
    raise typer.Exit(code=1)
