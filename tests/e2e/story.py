"""What a user's systems do to the running services: HTTP calls as a given principal, ERP messages on
`erp.inbound`, and patient polling until the events have flowed through."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, TypeVar

import httpx
from aiokafka import AIOKafkaConsumer, TopicPartition
from huifang_contracts.envelope import Envelope
from huifang_infra.auth import Role

from tests.support.kafka import produce
from tests.support.processes import ServiceSystem
from tests.support.service import bearer

T = TypeVar("T")

GROUP = "grp-e2e"


class Actor:
    """One principal talking to the five services (`api.get("callback", "/callbacks")`)."""

    def __init__(self, system: ServiceSystem, role: Role, estates: Sequence[str], *, sub: str = "e2e-admin") -> None:
        self.system = system
        self.headers = bearer(role, GROUP, estates, sub=sub)
        self.client = httpx.Client(timeout=15.0, trust_env=False)

    def request(self, method: str, service: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {**self.headers, **kwargs.pop("headers", {})}
        return self.client.request(method, f"{self.system.url(service)}{path}", headers=headers, **kwargs)

    def get(self, service: str, path: str, **kwargs: Any) -> Any:
        response = self.request("GET", service, path, **kwargs)
        assert response.status_code == 200, f"GET {service}{path}: {response.status_code} {response.text}"
        return response.json()

    def post(self, service: str, path: str, body: Any, *, expect: tuple[int, ...] = (200, 201), **kw: Any) -> Any:
        response = self.request("POST", service, path, json=body, **kw)
        assert response.status_code in expect, f"POST {service}{path}: {response.status_code} {response.text}"
        return response.json()

    def put(self, service: str, path: str, body: Any, *, expect: tuple[int, ...] = (200, 201)) -> Any:
        response = self.request("PUT", service, path, json=body)
        assert response.status_code in expect, f"PUT {service}{path}: {response.status_code} {response.text}"
        return response.json()


def send_erp(system: ServiceSystem, messages: Sequence[dict[str, Any]]) -> None:
    """Publish ERP messages as the ERP does: raw JSON on `erp.inbound`, keyed by estate."""
    values = [(m["estate_id"].encode(), json.dumps(m, ensure_ascii=False).encode()) for m in messages]
    asyncio.run(produce(system.kafka_bootstrap, system.topic("erp.inbound"), values))


def erp(kind: str, erp_id: str, estate_id: str, data: dict[str, Any]) -> dict[str, Any]:
    return {
        "format_version": 1,
        "kind": kind,
        "erp_system": "mingyuan",
        "erp_id": erp_id,
        "group_id": GROUP,
        "estate_id": estate_id,
        "data": data,
    }


def eventually(probe: Callable[[], T | None], what: str, timeout_s: float = 45.0, every_s: float = 0.3) -> T:
    """Poll until `probe` returns something truthy; the failure names what never happened."""
    deadline = time.monotonic() + timeout_s
    last: T | None = None
    while time.monotonic() < deadline:
        last = probe()
        if last:
            return last
        time.sleep(every_s)
    raise AssertionError(f"{what}: not within {timeout_s} s (last: {last!r})")


def register_estate(admin: Actor, estate_id: str, name: str, preset: str, estate_type: str = "residential") -> None:
    body = {"estate_id": estate_id, "name": name, "preset": preset, "estate_type": estate_type}
    admin.post("intake", "/registry/estates", body, headers={"Idempotency-Key": f"estate-{estate_id}"})


def register_staff(admin: Actor, estate_id: str, staff: Sequence[dict[str, Any]]) -> None:
    for person in staff:
        body = {"estate_id": estate_id, **person}
        admin.post("dispatch", "/staff", body, expect=(200, 201, 409))  # 409: registered by an earlier run


async def _read_to_end(bootstrap: str, topic: str) -> list[Envelope]:
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    try:
        partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or ()]
        if not partitions:
            await consumer._client.force_metadata_update()
            partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or ()]
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        ends = await consumer.end_offsets(partitions)
        found: list[Envelope] = []
        while [tp for tp, end in ends.items() if await consumer.position(tp) < end]:
            for records in (await consumer.getmany(timeout_ms=500)).values():
                found.extend(Envelope.from_bytes(r.value) for r in records)
        return found
    finally:
        await consumer.stop()


def published(system: ServiceSystem, base_topic: str, event_type: str) -> list[Envelope]:
    """Every envelope of this type on the system's topic so far (what downstream services received)."""
    envelopes = asyncio.run(_read_to_end(system.kafka_bootstrap, system.topic(base_topic)))
    return [e for e in envelopes if e.type == event_type]


def staff(tag: str) -> list[dict[str, Any]]:
    """Staff ids are logins, unique across the group: each estate's carry its tag."""
    return [
        {"staff_id": f"{tag}-eng-head", "name": "王建国", "role": "department_head", "department": "engineering"},
        {"staff_id": f"{tag}-cln-head", "name": "李洁", "role": "department_head", "department": "cleaning"},
        {"staff_id": f"{tag}-mgr", "name": "赵敏", "role": "office_manager", "door_visits": True},
    ]


DISSATISFIED = {
    "punctuality": "satisfied",
    "attitude": "satisfied",
    "quality": "dissatisfied",
    "overall": "dissatisfied",
}
SATISFIED = {"punctuality": "satisfied", "attitude": "very_satisfied", "quality": "satisfied", "overall": "satisfied"}


def complaint(erp_id: str, estate: str, received: datetime, resolved: datetime | None = None) -> list[dict[str, Any]]:
    data: dict[str, Any] = {
        "category": "plumbing",
        "subcategory": "排水管",
        "grade": "general",
        "validity": "valid",
        "department": "engineering",
        "unit_id": f"T3-{erp_id}",
        "requester_name": "李敏",
        "requester_phone": "138 0013 8000",
        "received_at": received.isoformat(),
    }
    messages = [erp("complaint_registered", erp_id, estate, data)]
    if resolved is not None:
        done = {**data, "result": "更换排水管", "resolved_at": resolved.isoformat(), "accepted_by_requester": True}
        messages.append(erp("complaint_resolved", erp_id, estate, done))
    return messages


def contact(ratings: dict[str, str], submission: str) -> dict[str, Any]:
    return {
        "submission_id": submission,
        "result": "reached",
        "method": "phone",
        "answered_by": "李敏",
        "relation": "self",
        "ratings": ratings,
    }
