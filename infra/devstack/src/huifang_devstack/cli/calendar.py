"""`huifang calendar load FILE --group G`: load a year's working-day notice into the callback service."""

from __future__ import annotations

import asyncio
import importlib
from pathlib import Path
from typing import Annotated

import typer

calendar_app = typer.Typer(help="Working-day calendars (R-CB-2): load a year's State Council notice.")


@calendar_app.command("load")
def load(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="the notice as JSON")],
    group: Annotated[str, typer.Option(help="the property group it applies to")],
    database_url: Annotated[str | None, typer.Option(help="callback's database (default: its settings)")] = None,
) -> None:
    """Open callbacks whose deadlines were provisional for that year are counted again."""
    # The callback service owns calendars; imported here, so the launcher never depends on it.
    loader = importlib.import_module("huifang_callback.service_layer.calendar_file").load_calendar_file
    year, revised = asyncio.run(loader(file.read_text(encoding="utf-8"), group, database_url=database_url))
    typer.echo(f"{year} 年工作日安排已载入 / loaded for {group}; {revised} callbacks revised")
