"""Reactions to other services' events, each applied inside the consumer's transaction."""

from __future__ import annotations

from typing import Any

from huifang_contracts.callback import CallbackDue, CallbackOverdue, CallbackScheduled
from huifang_contracts.envelope import Envelope
from huifang_contracts.intake import EstateRegistered, EstateUpdated
from huifang_contracts.survey import CallbackAttempted, CallbackCompleted, CallbackFailed
from huifang_infra.consumed import Handler
from huifang_infra.db import Connection

from huifang_dispatch.adapters import callbacks, staff
from huifang_dispatch.adapters.estates import upsert_estate
from huifang_dispatch.domain.worklist import OPEN_STATES
from huifang_dispatch.service_layer.context import Context
from huifang_dispatch.service_layer.placing import escalate_overdue, place_or_queue

WAITING_STATES = ("scheduled", "unassigned")


async def on_estate(conn: Connection, event: EstateRegistered | EstateUpdated, envelope: Envelope) -> None:
    await upsert_estate(conn, envelope.group_id, envelope.estate_id, event.name, event.timezone)


async def on_scheduled(conn: Connection, event: CallbackScheduled, envelope: Envelope) -> None:
    fields: dict[str, Any] = event.model_dump(mode="python")
    fields["kind"] = event.kind.value
    fields["method"] = event.method.value
    fields["caller_role"] = event.caller_role.value
    fields["grade"] = event.grade.value if event.grade else None
    fields["source_type"] = event.source_type
    # The original worker is excluded from rating their own job; read when the contract carries it.
    fields["worker_id"] = getattr(event, "worker_id", None)
    await callbacks.upsert_scheduled(conn, envelope.group_id, envelope.estate_id, event.callback_id, fields)


async def on_attempted(conn: Connection, event: CallbackAttempted, envelope: Envelope) -> None:
    # R-CB-11: the task stays open between attempts; the count is shown to whoever holds it.
    await conn.execute(
        """UPDATE callbacks SET attempts_made = greatest(attempts_made, $2),
                  last_attempt_at = greatest(last_attempt_at, $3), updated_at = now()
           WHERE callback_id = $1""",
        event.callback_id,
        event.attempt_no,
        event.attempted_at,
    )


async def close(conn: Connection, callback_id: str, status: str, envelope: Envelope) -> None:
    """Completed or failed: the holder's open load drops by one, once (the row is locked)."""
    row = await callbacks.lock_callback(conn, callback_id)
    at = envelope.occurred_at
    if row is None:
        # Outcome before we saw the callback (topics are not ordered with each other): remember it closed.
        await callbacks.ensure_due(conn, envelope.group_id, envelope.estate_id, callback_id, at, at, "phone", "")
        await callbacks.set_status(conn, callback_id, status, closed_at=at)
        return
    if row["status"] in ("completed", "failed"):
        return
    if row["status"] in OPEN_STATES and row["assignee_id"]:
        await staff.drop_load(conn, row["assignee_id"])
    await callbacks.set_status(conn, callback_id, status, closed_at=at)


async def on_completed(conn: Connection, event: CallbackCompleted, envelope: Envelope) -> None:
    await close(conn, event.callback_id, "completed", envelope)


async def on_failed(conn: Connection, event: CallbackFailed, envelope: Envelope) -> None:
    await close(conn, event.callback_id, "failed", envelope)


def consumer_handlers(ctx: Context) -> dict[str, Handler]:
    """The consumer's handler table; the due and overdue ones need the outbox and policy."""

    async def on_due(conn: Connection, event: CallbackDue, envelope: Envelope) -> None:
        row = await callbacks.ensure_due(
            conn,
            envelope.group_id,
            envelope.estate_id,
            event.callback_id,
            event.due_at,
            event.deadline,
            event.method.value,
            event.caller_role.value,
        )
        if row["status"] not in WAITING_STATES:
            return  # already placed, or already answered before it fell due
        await place_or_queue(ctx, conn, row, envelope.occurred_at, cause=envelope)

    async def on_overdue(conn: Connection, event: CallbackOverdue, envelope: Envelope) -> None:
        row = await callbacks.lock_callback(conn, event.callback_id)
        if row is None or row["status"] in ("completed", "failed"):
            return
        role = event.escalate_to_role or ctx.escalation_role
        await escalate_overdue(ctx, conn, row, role, envelope.occurred_at, envelope)

    return {
        EstateRegistered.TYPE: on_estate,
        EstateUpdated.TYPE: on_estate,
        CallbackScheduled.TYPE: on_scheduled,
        CallbackDue.TYPE: on_due,
        CallbackOverdue.TYPE: on_overdue,
        CallbackAttempted.TYPE: on_attempted,
        CallbackCompleted.TYPE: on_completed,
        CallbackFailed.TYPE: on_failed,
    }
