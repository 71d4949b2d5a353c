"""Free ports for servers a test starts, drawn below the kernel's ephemeral range (32768+).

A port the kernel hands out for outgoing connections can be taken again between the check and the
server's bind; ports below that range are only ever taken by listeners.
"""

from __future__ import annotations

import random
import socket
from collections.abc import Iterable

LOW, HIGH = 20000, 32000


def free_port(taken: Iterable[int] = ()) -> int:
    """A port nothing listens on now, and not one of `taken` (ports chosen but not bound yet)."""
    avoid = set(taken)
    for _ in range(200):
        port = random.randrange(LOW, HIGH)
        if port not in avoid and _bindable(port):
            return port
    raise RuntimeError(f"no free port in {LOW}–{HIGH}")


def free_port_pair() -> int:
    """A port p with p+1 free too (Kafka's controller listens on the next port)."""
    for _ in range(200):
        port = random.randrange(LOW, HIGH)
        if _bindable(port) and _bindable(port + 1):
            return port
    raise RuntimeError(f"no free port pair in {LOW}–{HIGH}")


def _bindable(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True
