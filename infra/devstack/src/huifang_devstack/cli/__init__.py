"""The `huifang` command: one entry point, a sub-command group per concern.

`huifang demo` belongs to huifang_demo and is added when that package is installed (the workspace root
installs every package); the stack, database, token and rebuild commands are this package's own.
"""

from __future__ import annotations

import typer

from huifang_devstack.cli.calendar import calendar_app
from huifang_devstack.cli.db import db_app
from huifang_devstack.cli.rebuild import rebuild_app
from huifang_devstack.cli.stack import stack_app
from huifang_devstack.cli.token import token_app


def _demo_app() -> typer.Typer | None:
    try:
        from huifang_demo.cli import demo_app
    except ModuleNotFoundError as exc:
        if exc.name != "huifang_demo":  # the demo is installed but broken: say so, never hide it
            raise
        return None
    return demo_app


app = typer.Typer(help="Huifang (回访) operations: the local stack, the demo, databases, tokens.", no_args_is_help=True)
app.add_typer(stack_app, name="stack")
if (demo_app := _demo_app()) is not None:
    app.add_typer(demo_app, name="demo")
app.add_typer(db_app, name="db")
app.add_typer(token_app, name="token")
app.add_typer(rebuild_app, name="rebuild")
app.add_typer(calendar_app, name="calendar")

__all__ = ["app"]
