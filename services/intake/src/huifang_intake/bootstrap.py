"""The composition root: settings → runtime (consumer, relay, migrations) → the service → the app."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from fastapi import FastAPI
from huifang_contracts.topics import Service, Topic
from huifang_infra.clock import utc_now
from huifang_infra.group_commit import GroupCommit
from huifang_infra.metrics import Metrics
from huifang_infra.outbox import Outbox
from huifang_infra.runtime import ServiceRuntime, create_service_app
from huifang_infra.state_rebuild import Refill
from huifang_infra.wiring import catalogue_for

from huifang_intake.adapters.records import Records
from huifang_intake.config import IntakeSettings
from huifang_intake.entrypoints.consumer import decode_erp_record, handlers_for
from huifang_intake.entrypoints.problems import install_problem_handlers
from huifang_intake.entrypoints.routes import complaints, imports, orders, registry, requests
from huifang_intake.service_layer.handlers import Intake
from huifang_intake.service_layer.rebuild import STATE_TABLES, refill_records

DESCRIPTION = """回访 Huifang intake: 报事、派工单、投诉与项目档案的入口。

The front door for ERP systems and front-desk staff: service requests, work orders, complaints and the
estate registry; publishes OrderClosed, ComplaintRegistered, ComplaintResolved, RenovationCompleted,
ServiceRequestClosed and Estate* events. Every command honours `Idempotency-Key`."""


def state_parts(settings: IntakeSettings) -> list[Refill]:
    """What `huifang rebuild state --service intake` empties and refills from the event store."""
    return [Refill(refill_records, STATE_TABLES)]


def create_app(settings: IntakeSettings | None = None, *, clock: Callable[[], datetime] = utc_now) -> FastAPI:
    settings = settings or IntakeSettings()
    catalogue, metrics = catalogue_for(settings), Metrics()
    outbox = Outbox(catalogue.topic_for)
    records = Records()
    runtime: ServiceRuntime  # below: the group commit takes its pool once the runtime has started
    intake = Intake(
        outbox=outbox,
        records=records,
        clock=clock,
        topic_for=catalogue.topic_for,
        new_records=GroupCommit(
            lambda: runtime.pool, records.create_many, on_batch=metrics.group_committed("new_records")
        ),
    )
    runtime = ServiceRuntime(
        settings,
        Service.INTAKE,
        handlers=handlers_for(intake),
        decoders={Topic.ERP_INBOUND.value: decode_erp_record},
        outbox=outbox,
        metrics=metrics,
    )

    def configure(app: FastAPI) -> None:
        app.state.intake = intake
        install_problem_handlers(app)

    return create_service_app(
        runtime,
        title="受理 Intake",
        description=DESCRIPTION,
        routers=[orders.router, complaints.router, requests.router, registry.router, imports.router],
        configure=configure,
    )
