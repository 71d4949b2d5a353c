"""Is a server there: a TCP port that accepts, a Kafka broker that answers a metadata request.

Readiness checks ask these of the servers a service uses; the local stack launcher asks the same
questions of the servers it starts, so "up" means the same thing to both.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


async def metadata_ok(bootstrap: str, timeout_s: float = 5.0) -> bool:
    """True when the broker answers a metadata request (a port that merely accepts is not enough)."""
    from aiokafka.admin import AIOKafkaAdminClient

    host, _, port = bootstrap.split(",")[0].rpartition(":")
    if not port_open(int(port), host or "127.0.0.1"):
        return False

    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=int(timeout_s * 1000))
    try:
        await asyncio.wait_for(admin.start(), timeout_s)
        cluster = await asyncio.wait_for(admin.describe_cluster(), timeout_s)
        return bool(cluster.get("brokers"))
    except Exception:
        return False
    finally:
        with contextlib.suppress(Exception):
            await admin.close()
