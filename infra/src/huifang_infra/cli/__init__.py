"""The `huifang` command: one entry point, a sub-command group per concern."""

from __future__ import annotations

import typer

from huifang_infra.cli.db import db_app
from huifang_infra.cli.demo import demo_app
from huifang_infra.cli.rebuild import rebuild_app
from huifang_infra.cli.stack import stack_app
from huifang_infra.cli.token import token_app

app = typer.Typer(help="Huifang (回访) operations: the local stack, the demo, databases, tokens.", no_args_is_help=True)
app.add_typer(stack_app, name="stack")
app.add_typer(demo_app, name="demo")
app.add_typer(db_app, name="db")
app.add_typer(token_app, name="token")
app.add_typer(rebuild_app, name="rebuild")

__all__ = ["app"]
