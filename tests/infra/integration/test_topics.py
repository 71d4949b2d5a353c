"""The topic catalogue is created on the real broker, idempotently, with its retention settings."""

from __future__ import annotations

import pytest
from aiokafka.admin import AIOKafkaAdminClient
from huifang_contracts.topics import CATALOGUE
from huifang_infra.topics import ensure_topics

pytestmark = pytest.mark.integration


async def test_catalogue_topics_are_created_once_and_keep_everything(kafka_bootstrap: str, unique: str) -> None:
    catalogue = CATALOGUE.with_suffix(unique, partitions=2)
    specs = catalogue.all_topics()

    created = await ensure_topics(kafka_bootstrap, specs)
    again = await ensure_topics(kafka_bootstrap, specs)

    admin = AIOKafkaAdminClient(bootstrap_servers=kafka_bootstrap)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        orders = catalogue.name("intake.orders")
        described = await admin.describe_topics([orders])
        configs = await admin.describe_configs([_topic_resource(orders)])
        await admin.delete_topics([s.name for s in specs])
    finally:
        await admin.close()
    assert sorted(created) == sorted(s.name for s in specs)
    assert again == []
    assert {s.name for s in specs} <= existing
    assert f"callback.{unique}.dlq" in existing
    assert len(described[0]["partitions"]) == 2
    entries = {c[0]: c[1] for c in configs[0].resources[0][4]}
    assert entries["retention.ms"] == "-1"


def _topic_resource(name: str):  # type: ignore[no-untyped-def]
    from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType

    return ConfigResource(ConfigResourceType.TOPIC, name)
