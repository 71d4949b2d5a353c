"""Starting the five services for a test module: databases, topics, processes; and cleaning up after."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Iterator
from pathlib import Path

from huifang_devstack.databases import drop_database, ensure_databases
from huifang_infra.database_url import with_database

from tests.support.kafka import delete_topics
from tests.support.processes import SERVICES, ServiceSystem


def start_system(
    home: Path, kafka_bootstrap: str, admin_database_url: str, extra_env: dict[str, str] | None = None
) -> Iterator[ServiceSystem]:
    """Databases, topics, processes, readiness; on the way out all of it stopped, dropped or deleted."""
    suffix = f"e2e{uuid.uuid4().hex[:10]}"
    names = {svc: f"e2e_{suffix}_{svc}" for svc in SERVICES}
    asyncio.run(ensure_databases(admin_database_url, list(names.values())))
    urls = {svc: with_database(admin_database_url, name) for svc, name in names.items()}
    system = ServiceSystem(home, suffix, kafka_bootstrap, urls, extra_env or {})
    try:
        system.start_all()
        yield system
    finally:
        system.stop_all()
        # The shared broker holds every engineer's test topics: give these back (a broker with too many
        # partitions runs out of heap).
        with contextlib.suppress(Exception):
            asyncio.run(delete_topics(kafka_bootstrap, [spec.name for spec in system.catalogue.all_topics()]))
        for name in names.values():
            asyncio.run(drop_database(admin_database_url, name))
