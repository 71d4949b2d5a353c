"""The headers every HTML page a service serves carries: the staff console and the residents' pages.

A page may run only its own scripts and styles and the one inline block it was rendered with (a nonce
per response), may be framed by nobody (clickjacking a sign-in or a satisfaction answer), never sends
its address on (a resident's link holds its token in the path), and is never kept in a cache (a shared
computer's back button must not show the previous person's queue or answers).

    nonce = new_nonce()
    response = templates.TemplateResponse(request, "page.html", {"csp_nonce": nonce, ...})
    return secured(response, nonce, connect=["http://127.0.0.1:8004"])
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import TypeVar
from urllib.parse import urlsplit

from starlette.responses import Response

R = TypeVar("R", bound=Response)


def new_nonce() -> str:
    """A fresh CSP nonce: 128 random bits, base64url."""
    return secrets.token_urlsafe(16)


def origin_of(url: str) -> str:
    """`http://host:8004/some/path` → `http://host:8004` (what `connect-src` lists)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def content_security_policy(nonce: str, *, connect: Iterable[str] = ()) -> str:
    """Own scripts and styles plus the nonce's inline block; fetches to self and `connect`'s origins."""
    origins = sorted({origin for origin in (origin_of(url) for url in connect) if origin})
    return "; ".join(
        [
            "default-src 'none'",
            f"script-src 'self' 'nonce-{nonce}'",
            f"style-src 'self' 'nonce-{nonce}'",
            "img-src 'self' data:",
            " ".join(["connect-src 'self'", *origins]),
            "form-action 'self'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
        ]
    )


def page_headers(nonce: str, *, connect: Iterable[str] = ()) -> dict[str, str]:
    return {
        "Content-Security-Policy": content_security_policy(nonce, connect=connect),
        "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate it
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
    }


def secured(response: R, nonce: str, *, connect: Iterable[str] = ()) -> R:
    """`response` with the page headers set (rendered with `nonce` on its inline block)."""
    response.headers.update(page_headers(nonce, connect=connect))
    return response
