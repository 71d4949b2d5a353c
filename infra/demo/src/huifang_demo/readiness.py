"""Asking a service process whether it is ready: `GET /readyz` answering 200."""

from __future__ import annotations

import urllib.error
import urllib.request

# Local addresses only: a proxy from the environment (http_proxy) must not be asked for 127.0.0.1.
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def answers_ready(url: str, timeout_s: float = 1.0) -> bool:
    """True on 200; a 503 (a dependency still failing), a refused connection or a timeout are not ready."""
    try:
        with _DIRECT.open(url, timeout=timeout_s) as response:
            return bool(response.status == 200)
    except (OSError, ValueError, urllib.error.URLError):
        return False
