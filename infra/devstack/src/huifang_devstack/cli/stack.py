"""`huifang stack up | down | status | logs`: the local Kafka and PostgreSQL, and Zipkin when asked."""

from __future__ import annotations

import time
from typing import Annotated

import typer

from huifang_devstack import ComponentStatus, Stack, StackError, StackSettings

stack_app = typer.Typer(help="Start, stop and inspect the local Kafka + PostgreSQL (+ Zipkin).", no_args_is_help=True)

TraceViewer = Annotated[
    bool | None,
    typer.Option(
        "--trace-viewer/--no-trace-viewer",
        help="also start Zipkin on HUIFANG_ZIPKIN_PORT (default: HUIFANG_TRACE_VIEWER, off)",
        show_default=False,
    ),
]


def _fail(exc: StackError) -> None:
    typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
    raise typer.Exit(code=1)


def stack_for(trace_viewer: bool | None) -> Stack:
    """The stack of the environment's settings; an explicit flag overrides `HUIFANG_TRACE_VIEWER`."""
    settings = StackSettings()
    if trace_viewer is not None:
        settings = settings.model_copy(update={"trace_viewer": trace_viewer})
    return Stack(settings)


@stack_app.command()
def up(trace_viewer: TraceViewer = None) -> None:
    """Start what is not running yet (harmless when already up); return when it answers."""
    stack = stack_for(trace_viewer)
    started = time.monotonic()
    try:
        stack.up()
    except StackError as exc:
        _fail(exc)
    typer.echo(f"stack up in {time.monotonic() - started:.1f} s")
    print_status(stack)


@stack_app.command()
def down() -> None:
    """Stop only the processes this stack started (found by their pid files)."""
    stopped = Stack().down()
    typer.echo(f"stopped: {', '.join(stopped)}" if stopped else "nothing of ours was running")


@stack_app.command()
def status() -> None:
    """Show each component, its endpoint, health and memory; exit 1 when one is unhealthy."""
    stack = Stack()
    if not print_status(stack):
        raise typer.Exit(code=1)


@stack_app.command()
def logs(
    component: Annotated[str, typer.Argument(help="kafka, postgres or zipkin")] = "kafka",
    lines: Annotated[int, typer.Option("--lines", "-n")] = 40,
) -> None:
    """Print the end of a component's log file."""
    stack = Stack()
    path = {"kafka": stack.kafka.log, "postgres": stack.postgres.log, "zipkin": stack.zipkin.log}.get(component)
    if path is None:
        raise typer.BadParameter("component must be kafka, postgres or zipkin")
    if not path.exists():
        typer.echo(f"{path} does not exist yet")
        return
    typer.echo(f"==> {path} <==")
    typer.echo("\n".join(path.read_text(errors="replace").splitlines()[-lines:]))


def print_status(stack: Stack) -> bool:
    return print_components(stack.status())


def print_components(components: list[ComponentStatus]) -> bool:
    """One line per component; True when all are healthy."""
    all_ok = True
    for comp in components:
        all_ok &= comp.healthy
        mark = (
            typer.style("healthy", fg=typer.colors.GREEN) if comp.healthy else typer.style("DOWN", fg=typer.colors.RED)
        )
        pid = f" pid {comp.pid}" if comp.pid else ""
        rss = f" rss {comp.rss_bytes / 2**20:.0f} MiB" if comp.rss_bytes else ""
        typer.echo(f"{comp.name:<12} {comp.mode:<9} {comp.endpoint:<48} {mark}{pid}{rss}")
    return all_ok
