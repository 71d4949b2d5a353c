"""One complaint, one trace in Zipkin across intake → callback → dispatch → survey → reporting (issue 10,
item 2). Zipkin runs beside the shared test servers for this module only; the five processes export to it.

The trace starts where the complaint enters: intake's consumer span for the ERP record (the ERP sends
no trace context). From there the context rides in the outbox rows and Kafka headers: ComplaintResolved
→ callback (CallbackScheduled and, the window being open, CallbackDue in the same transaction) →
dispatch (CallbackAssigned) → survey; reporting consumes along the way.

Where the chain is cut on purpose (documented, not tested here): a `CallbackDue` emitted by callback's
timer loop, hours or days after scheduling, is written with no current span, so its relay span starts a
new trace and the assignment that follows lives there; the resident's answer, posted over HTTP to
survey, starts the trace of the completion and the reopening.
"""

from __future__ import annotations

import json
import urllib.request
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from huifang_devstack import Stack, StackSettings
from huifang_infra.auth import Role

from tests.e2e.story import Actor, complaint, eventually, register_estate, register_staff, send_erp, staff
from tests.e2e.system import start_system
from tests.support.processes import SERVICES, ServiceSystem, free_port

pytestmark = pytest.mark.integration

#: ERP_FORMAT.md: a message's id is uuid5(this namespace, erp_system ␟ erp_id ␟ kind).
ERP_NAMESPACE = uuid.UUID("5f1d3a52-8c59-4bb4-9d7e-2d0f6a4b1c01")


@pytest.fixture(scope="module")
def zipkin(tmp_path_factory: pytest.TempPathFactory, kafka_bootstrap: str, admin_database_url: str) -> Iterator[str]:
    settings = StackSettings(
        state_dir=tmp_path_factory.mktemp("zipkin"),
        zipkin_port=free_port(),
        trace_viewer=True,
        kafka_bootstrap_servers=kafka_bootstrap,  # the shared servers: this stack never stops them
        database_url=admin_database_url,
    )
    stack = Stack(settings)
    try:
        stack.up()
        yield stack.zipkin.base_url
    finally:
        stack.zipkin.down()


@pytest.fixture(scope="module")
def traced(
    tmp_path_factory: pytest.TempPathFactory, kafka_bootstrap: str, admin_database_url: str, zipkin: str
) -> Iterator[ServiceSystem]:
    env = {"OTEL_EXPORTER_ZIPKIN_ENDPOINT": f"{zipkin}/api/v2/spans"}
    yield from start_system(tmp_path_factory.mktemp("e2e-traced"), kafka_bootstrap, admin_database_url, env)


def _get(url: str) -> Any:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(url, timeout=5) as response:
        return json.load(response)


def test_one_complaint_is_one_trace_through_all_five_services(traced: ServiceSystem, zipkin: str) -> None:
    estate = "est-trace"
    admin = Actor(traced, Role.admin, ["*"])
    register_estate(admin, estate, "链路苑", "tianxiacheng")
    register_staff(admin, estate, staff("tr"))
    now = datetime.now(UTC).replace(microsecond=0)
    [registered, resolved] = complaint("T-1", estate, now - timedelta(hours=1), now)
    send_erp(traced, [registered])
    send_erp(traced, [resolved])
    eventually(lambda: [c for c in admin.get("survey", "/callbacks") if c["assignee_id"] == "tr-eng-head"], "assigned")
    message_id = uuid.uuid5(ERP_NAMESPACE, "mingyuan\x1fT-1\x1fcomplaint_resolved")
    query = f"annotationQuery=messaging.message.id%3D{message_id}&lookback=3600000&limit=10"

    expected = {"callback": "complaintresolved", "survey": "callbackassigned", "dispatch": "callbackdue"}

    def trace_of_the_resolution() -> list[dict[str, Any]] | None:
        """The trace once every service and each expected hop's span has arrived (export is batched)."""
        [found, *_] = _get(f"{zipkin}/api/v2/traces?serviceName=intake&{query}") or [[]]
        names = {(span["localEndpoint"]["serviceName"], span.get("name", "")) for span in found}
        services = {service for service, _ in names}
        hops = all(any(service == s and part in name for s, name in names) for service, part in expected.items())
        return found if services >= set(SERVICES) and hops else None

    spans = eventually(trace_of_the_resolution, "one trace spanning the five services", timeout_s=40, every_s=1)
    assert len({span["traceId"] for span in spans}) == 1
    by_service = {s: sorted(x["name"] for x in spans if x["localEndpoint"]["serviceName"] == s) for s in SERVICES}
    assert any("complaintresolved" in name for name in by_service["callback"])
    assert any("callbackassigned" in name for name in by_service["survey"])
    assert any("callbackdue" in name for name in by_service["dispatch"])
