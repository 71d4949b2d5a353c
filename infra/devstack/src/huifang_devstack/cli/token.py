"""`huifang token mint`: development tokens for curl, the demo and manual testing."""

from __future__ import annotations

import os
import re
from datetime import timedelta
from typing import Annotated

import typer
from huifang_infra.auth import DEVELOPMENT_JWT_SECRET, Role, mint_token
from huifang_infra.auth.tokens import AUDIENCE, ISSUER

token_app = typer.Typer(help="Mint bearer tokens for local use.", no_args_is_help=True)

_TTL = re.compile(r"^(\d+)([smhd]?)$")
_UNIT_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_ttl(text: str) -> timedelta:
    """`90`, `90s`, `30m`, `8h`, `2d` → a positive duration."""
    match = _TTL.match(text.strip().lower())
    if match is None or int(match[1]) == 0:
        raise typer.BadParameter(f"{text!r} is not a duration like 30m, 8h or 2d")
    return timedelta(seconds=int(match[1]) * _UNIT_SECONDS[match[2]])


@token_app.command()
def mint(
    role: Annotated[Role, typer.Option(help="the caller's role")],
    group: Annotated[str, typer.Option("--group", help="the property group id")],
    estate: Annotated[
        list[str], typer.Option("--estate", help="an estate id; repeat it, or give '*' for all estates of the group")
    ],
    ttl: Annotated[str, typer.Option(help="lifetime: 30m, 8h … at most 24h")] = "8h",
    sub: Annotated[str | None, typer.Option(help="subject; default dev-<role>")] = None,
    name: Annotated[str | None, typer.Option(help="display name")] = None,
    locale: Annotated[str | None, typer.Option(help="e.g. zh-CN")] = None,
    issuer: Annotated[str, typer.Option(help="the iss claim the services expect")] = ISSUER,
    audience: Annotated[str, typer.Option(help="the aud claim the services expect")] = AUDIENCE,
    secret: Annotated[
        str | None,
        typer.Option(help="signing key; default $HUIFANG_JWT_SECRET, else the development secret", show_default=False),
    ] = None,
) -> None:
    """Print a signed token: `curl -H "Authorization: Bearer $(huifang token mint …)"`."""
    key = secret or os.environ.get("HUIFANG_JWT_SECRET") or DEVELOPMENT_JWT_SECRET
    try:
        token = mint_token(
            key,
            sub or f"dev-{role.value}",
            role,
            group,
            estate,
            parse_ttl(ttl),
            name=name,
            locale=locale,
            issuer=issuer,
            audience=audience,
        )
    except ValueError as exc:  # pydantic's ValidationError is one: an empty id, "*" mixed with ids
        raise typer.BadParameter(str(exc)) from exc
    typer.echo(token)
