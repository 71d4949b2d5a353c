"""`huifang rebuild`: replay a stopped service's topics from the beginning into empty projections."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer

from huifang_infra.rebuild import rebuild

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
