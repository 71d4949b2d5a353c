"""The composition root: settings → runtime (consumer, relay, retry loop) and the service context."""

from __future__ import annotations

import asyncio

from huifang_contracts.topics import Service
from huifang_infra.runtime import ServiceRuntime
from huifang_infra.state_rebuild import StateRebuild

from huifang_dispatch.config import DispatchSettings
from huifang_dispatch.entrypoints.consumer import batch_handlers, handlers
from huifang_dispatch.service_layer import rebuild
from huifang_dispatch.service_layer.assigning import Assignments
from huifang_dispatch.service_layer.context import Clock, Context, system_clock
from huifang_dispatch.service_layer.duty_logging import DutyLog
from huifang_dispatch.service_layer.handing_over import Handovers
from huifang_dispatch.service_layer.retry import retry_every
from huifang_dispatch.service_layer.rostering import Rosters


def state_parts(settings: DispatchSettings) -> list[StateRebuild]:
    """What `huifang rebuild state --service dispatch` empties and refills from the event store."""
    return rebuild.state_parts(escalation_role=settings.escalation_role.value)


def build(settings: DispatchSettings, *, clock: Clock = system_clock) -> tuple[ServiceRuntime, Context]:
    """One runtime and its context; tests pass their own clock."""
    contexts: list[Context] = []

    async def retry_unassigned_queue(runtime: ServiceRuntime, stop: asyncio.Event) -> None:
        await retry_every(contexts[0].assignments, runtime.pool, settings.unassigned_retry_seconds, stop)

    runtime = ServiceRuntime(settings, Service.DISPATCH, handlers=handlers(), background=[retry_unassigned_queue])
    # The repositories need the runtime's outbox (its catalogue names the topics), so they come second.
    assignments = Assignments(runtime.outbox, settings.escalation_role.value, clock)
    ctx = Context(
        outbox=runtime.outbox,
        assignments=assignments,
        handovers=Handovers(clock),
        duty_log=DutyLog(clock),
        rosters=Rosters(clock),
        clock=clock,
        escalation_role=settings.escalation_role,
    )
    contexts.append(ctx)
    runtime.batch_handlers.update(batch_handlers(assignments))
    return runtime, ctx
