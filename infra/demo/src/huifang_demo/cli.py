"""`huifang demo up | down | status | logs`: the stack with its trace viewer, and the five services as
processes, supervised through pid files under the stack's state folder (`<state>/services/`)."""

from __future__ import annotations

import logging
import time
from typing import Annotated

import typer
from huifang_devstack import Stack, StackError
from huifang_devstack.cli.stack import print_components, print_status, stack_for

from huifang_demo import DemoSettings, ServiceSpec, Supervisor, demo_services
from huifang_demo.access import demo_token, demo_urls, service_env
from huifang_demo.data import load_demo_data

demo_app = typer.Typer(help="Run the whole system locally: stack, trace viewer, five services.", no_args_is_help=True)

TraceViewer = Annotated[bool, typer.Option("--trace-viewer/--no-trace-viewer", help="start Zipkin too")]


def _supervisor(stack: Stack, settings: DemoSettings | None = None) -> Supervisor:
    settings = settings or DemoSettings()
    specs = demo_services(settings)
    return Supervisor(
        stack.settings.state_path / "services",
        specs,
        env=service_env(specs, stack),
        report=typer.echo,
        ready_timeout_s=settings.ready_timeout_s,
        stop_grace_s=settings.stop_grace_s,
    )


def _running_components(stack: Stack) -> set[str]:
    running = {"zipkin"} if stack.trace_viewer_running else set()
    if not stack.kafka_external and stack.kafka.process.pid() is not None:
        running.add("kafka")
    if not stack.postgres_external and stack.postgres.process.pid() is not None:
        running.add("postgres")
    return running


def _stop_components(stack: Stack, names: set[str]) -> None:
    """Stop the stack components named (those this command started), services' dependencies last."""
    for name, component in (("zipkin", stack.zipkin), ("kafka", stack.kafka), ("postgres", stack.postgres)):
        if name in names:
            component.down()


@demo_app.command()
def up(trace_viewer: TraceViewer = True) -> None:
    """Start the stack (+ Zipkin), the services, load the demo data; print the URLs and a token.

    Ctrl-C stops what this command started, and only that.
    """
    logging.basicConfig(level=logging.INFO, format="  %(message)s")
    began = time.monotonic()
    stack = stack_for(trace_viewer)
    before = _running_components(stack)
    supervisor: Supervisor | None = None
    try:
        typer.secho("==> the stack: Kafka, PostgreSQL" + (", Zipkin" if trace_viewer else ""), bold=True)
        stack.up()
        print_status(stack)
        typer.secho("==> the services", bold=True)
        supervisor = _supervisor(stack)
        outcomes = supervisor.up()
        ready = [o.name for o in outcomes if o.state == "ready"]
        typer.secho("==> demo data", bold=True)
        specs = {spec.name: spec.base_url for spec in supervisor.specs if spec.name in ready}
        load_demo_data(specs, demo_token())
    except StackError as exc:
        typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
        raise typer.Exit(code=1) from exc
    except KeyboardInterrupt:
        typer.secho("interrupted: stopping what this command started", fg=typer.colors.YELLOW, err=True)
        if supervisor is not None:
            supervisor.stop(supervisor.started)  # no-op when its own `up` already did
        _stop_components(stack, _running_components(stack) - before)
        raise typer.Exit(code=130) from None
    running = [spec for spec in supervisor.specs if spec.name in ready]
    _print_access(stack, running, time.monotonic() - began)
    failed = [o for o in outcomes if o.state == "failed"]
    missing = [o for o in outcomes if o.state == "missing"]
    if missing:
        typer.secho(f"not started (not built yet): {', '.join(o.name for o in missing)}", fg=typer.colors.YELLOW)
    if failed:
        typer.secho(f"failed: {', '.join(o.name for o in failed)} (see their logs above)", fg=typer.colors.RED)
        raise typer.Exit(code=1)


def _print_access(stack: Stack, running: list[ServiceSpec], seconds: float) -> None:
    typer.secho(f"==> the demo is up in {seconds:.0f} s", bold=True)
    for what, url in demo_urls(running, stack):
        typer.echo(f"  {url:<40} {what}")  # URL first: Chinese labels are double width
    typer.echo("  development token (admin 管理员, every estate of the demo group, 12 h):")
    typer.echo(f"  {demo_token()}")
    typer.echo("  stop everything with: make demo-stop   (or: uv run huifang demo down)")


@demo_app.command()
def down(
    keep_stack: Annotated[bool, typer.Option("--keep-stack", help="stop the services only")] = False,
) -> None:
    """Stop the services (SIGTERM, then SIGKILL after the grace period), then the stack."""
    stack = Stack()
    stopped = _supervisor(stack).down()
    typer.echo(f"services stopped: {', '.join(stopped)}" if stopped else "no service of ours was running")
    if not keep_stack:
        components = stack.down()
        typer.echo(f"stack stopped: {', '.join(components)}" if components else "no stack process of ours was running")


@demo_app.command()
def status() -> None:
    """Each service's pid, readiness and memory, then the stack's; exit 1 when something is down."""
    stack = Stack()
    all_ok, total_rss = True, 0
    for item in _supervisor(stack).status():
        all_ok &= item.ready
        total_rss += item.rss_bytes or 0
        mark = typer.style("ready", fg=typer.colors.GREEN) if item.ready else typer.style("DOWN", fg=typer.colors.RED)
        pid = f" pid {item.pid}" if item.pid else ""
        rss = f" rss {item.rss_bytes / 2**20:.0f} MiB" if item.rss_bytes else ""
        typer.echo(f"{item.name:<12} {'process':<9} {item.url:<48} {mark}{pid}{rss}")
    components = stack.status()
    all_ok &= print_components(components)
    total_rss += sum(c.rss_bytes or 0 for c in components)
    # PostgreSQL's forks share memory, so this sum over-counts it: an upper bound of the demo's footprint.
    typer.echo(f"{'total':<12} {'rss':<9} {total_rss / 2**20:.0f} MiB (upper bound)")
    if not all_ok:
        raise typer.Exit(code=1)


@demo_app.command()
def logs(
    service: Annotated[str, typer.Argument(help="intake, callback, dispatch, survey or reporting")],
    lines: Annotated[int, typer.Option("--lines", "-n")] = 40,
) -> None:
    """Print the end of a service's log file."""
    supervisor = _supervisor(Stack())
    spec = next((s for s in supervisor.specs if s.name == service), None)
    if spec is None:
        raise typer.BadParameter(f"unknown service {service!r}")
    typer.echo(f"==> {supervisor.log_path(spec)} <==")
    typer.echo(supervisor.log_tail(spec, lines) or "(no log yet)")
