"""Intake under test: the real app (runtime, Kafka, PostgreSQL), two registered estates of group G1."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
from huifang_contracts.envelope import Envelope
from huifang_infra.auth import DEVELOPMENT_JWT_SECRET, Role
from huifang_infra.runtime import ServiceRuntime
from huifang_intake.bootstrap import create_app
from huifang_intake.config import IntakeSettings
from huifang_intake.service_layer.handlers import Intake

from tests.support.kafka import read_records
from tests.support.service import bearer, running_service, service_settings

ADMIN = bearer(Role.admin, "G1", ["*"])
DESK_A = bearer(Role.receptionist, "G1", ["E1"])
DESK_B = bearer(Role.receptionist, "G1", ["E2"])
QUALITY = bearer(Role.quality_dept, "G1", ["*"])


@dataclass
class Running:
    client: httpx.AsyncClient
    runtime: ServiceRuntime
    bootstrap: str
    intake: Intake

    async def published(self, event_type: str, count: int, timeout_s: float = 30) -> list[Envelope]:
        """The first `count` envelopes of this type on its topic (other types on the topic skipped)."""
        return [envelope for _, envelope in await self.published_keyed(event_type, count, timeout_s)]

    async def published_keyed(
        self, event_type: str, count: int, timeout_s: float = 30
    ) -> list[tuple[bytes | None, Envelope]]:
        """`published`, each envelope with the Kafka key it travelled under."""
        topic = self.runtime.catalogue.topic_for(event_type)
        found: list[tuple[bytes | None, Envelope]] = []
        total = count
        while len(found) < count:
            records = await read_records(self.bootstrap, topic, total, timeout_s)
            keyed = ((r.key, Envelope.from_bytes(r.value)) for r in records)
            found = [(key, e) for key, e in keyed if e.type == event_type]
            total += count - len(found)
        return found[:count]


@asynccontextmanager
async def running_intake(database_url: str, kafka_bootstrap: str, unique: str) -> AsyncIterator[Running]:
    # The test bearer tokens are signed with the auth package's development secret.
    settings = service_settings(
        IntakeSettings, database_url, kafka_bootstrap, unique, jwt_secret=DEVELOPMENT_JWT_SECRET
    )
    app = create_app(settings)
    async with running_service(app) as client:
        for estate, name in (("E1", "南苑"), ("E2", "北苑")):
            r = await client.post("/registry/estates", json={"estate_id": estate, "name": name}, headers=ADMIN)
            assert r.status_code == 201, r.text
        yield Running(client, app.state.runtime, kafka_bootstrap, app.state.intake)


def closed_order(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "estate_id": "E1",
        "category": "给排水",
        "subcategory": "排水管",
        "unit_id": "T3-1502",
        "requester_name": "李敏",
        "requester_phone": "138 0013 8000",
        "department": "engineering",
        "requested_at": "2026-03-02T09:05:00+08:00",
        "closed_at": "2026-03-02T16:40:00+08:00",
    }
    return body | overrides


def complaint(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "estate_id": "E1",
        "grade": "important",
        "category": "公共区域",
        "subcategory": "电梯",
        "description": "电梯夜间异响",
        "requester_phone": "13800138000",
        "received_at": "2026-03-02T20:00:00+08:00",
    }
    return body | overrides
