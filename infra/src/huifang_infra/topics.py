"""Creating the catalogue's topics on a broker, idempotently (auto-creation is off everywhere)."""

from __future__ import annotations

import contextlib

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError
from huifang_contracts.topics import TopicSpec


async def ensure_topics(bootstrap: str, specs: list[TopicSpec], *, replication_factor: int = 1) -> list[str]:
    """Create the topics that do not exist yet; return the names created. Running it twice is harmless."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [spec for spec in specs if spec.name not in existing]
        if not missing:
            return []
        new = [
            NewTopic(spec.name, spec.partitions, replication_factor, topic_configs=dict(spec.config))
            for spec in missing
        ]
        # another starter may create them between our listing and our request
        with contextlib.suppress(TopicAlreadyExistsError):
            await admin.create_topics(new)
        return [spec.name for spec in missing]
    finally:
        await admin.close()
