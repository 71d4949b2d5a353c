"""The staff console: sign-in, the callers' and managers' pages, served by dispatch (issue 11)."""

from __future__ import annotations

from fastapi import APIRouter

from huifang_dispatch.console import routes_auth, routes_context, routes_pages

#: Sign-in, the caller's context of a callback, and the page itself (static files: `mount_static`).
CONSOLE_ROUTERS: list[APIRouter] = [routes_auth.router, routes_context.router, routes_pages.router]
