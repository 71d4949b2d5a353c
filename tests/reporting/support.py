"""Running reporting in-process against the test stack: settings, a settable clock, feeding events."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from huifang_contracts.envelope import Envelope
from huifang_infra.auth import DEVELOPMENT_JWT_SECRET
from huifang_infra.runtime import ServiceRuntime
from huifang_reporting.config import ReportingSettings

from tests.support.backbone import wait_for
from tests.support.kafka import produce
from tests.support.service import service_settings


class FakeClock:
    """The injected clock: tests move it to close months."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def reporting_settings(database_url: str, kafka_bootstrap: str, unique: str, **overrides: Any) -> ReportingSettings:
    # tokens from `bearer()` are signed with the auth module's development secret
    values: dict[str, Any] = {"jwt_secret": DEVELOPMENT_JWT_SECRET, "close_interval_seconds": 0.3}
    return service_settings(ReportingSettings, database_url, kafka_bootstrap, unique, **(values | overrides))


async def feed(runtime: ServiceRuntime, bootstrap: str, envelopes: list[Envelope]) -> None:
    """Produce each envelope to its (suffixed) topic, keyed by estate, in list order per topic."""
    by_topic: dict[str, list[tuple[bytes, bytes]]] = defaultdict(list)
    for envelope in envelopes:
        by_topic[runtime.catalogue.topic_for(envelope.type)].append((envelope.kafka_key(), envelope.to_bytes()))
    for topic, messages in by_topic.items():
        await produce(bootstrap, topic, messages)


async def projected(runtime: ServiceRuntime, count: int, timeout_s: float = 60.0) -> None:
    async def done() -> bool:
        return runtime.consumer is not None and runtime.consumer.processed + runtime.consumer.duplicates >= count

    await wait_for(done, timeout_s=timeout_s)
