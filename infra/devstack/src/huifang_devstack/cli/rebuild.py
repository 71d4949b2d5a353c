"""`huifang rebuild`: replay a stopped service's topics from the beginning into empty projections."""

from __future__ import annotations

import asyncio
import importlib
from typing import Annotated

import typer
from huifang_infra.db import connect
from huifang_infra.rebuild import rebuild
from huifang_infra.state_rebuild import Rebuilt, rebuild_state

rebuild_app = typer.Typer(help="Rebuild a service's projections from the event log.")


@rebuild_app.command("projections")
def rebuild_projections(
    database_url: Annotated[str, typer.Option(help="the service's database")],
    group: Annotated[str, typer.Option(help="the service's consumer group")],
    topic: Annotated[list[str], typer.Option(help="a topic the group reads (repeat)")],
    table: Annotated[list[str], typer.Option(help="a projection table to empty (repeat)")],
    bootstrap: Annotated[str, typer.Option(envvar="KAFKA_BOOTSTRAP_SERVERS")] = "127.0.0.1:19092",
) -> None:
    """Stop the service first; start it again afterwards and it replays every event."""
    asyncio.run(
        rebuild(database_url=database_url, bootstrap=bootstrap, group=group, topics=topic, projection_tables=table)
    )
    typer.echo(f"projections of {group} emptied and offsets rewound; start the service to replay")


@rebuild_app.command("state")
def rebuild_state_command(
    service: Annotated[str, typer.Option(help="the service whose state tables to rebuild, e.g. callback")],
    database_url: Annotated[str | None, typer.Option(help="the service's database (default: its settings)")] = None,
) -> None:
    """Stop the service first: its state tables are emptied and refilled from its own event store alone."""
    rebuilt = asyncio.run(_rebuild_state(service, database_url))
    typer.echo(
        f"{service}: {rebuilt.streams} streams, {rebuilt.events} events folded in {rebuilt.seconds:.1f} s "
        f"({rebuilt.events_per_second:,.0f} events/s)"
    )


async def _rebuild_state(service: str, database_url: str | None) -> Rebuilt:
    """The service's composition root names its parts (`state_parts(settings)`); nothing else is read."""
    bootstrap = importlib.import_module(f"huifang_{service}.bootstrap")
    config = importlib.import_module(f"huifang_{service}.config")
    settings_type = getattr(config, f"{service.capitalize()}Settings")
    settings = settings_type()
    conn = await connect(database_url or settings.database_url)
    try:
        rebuilt: Rebuilt = await rebuild_state(conn, bootstrap.state_parts(settings))
        return rebuilt
    finally:
        await conn.close()
