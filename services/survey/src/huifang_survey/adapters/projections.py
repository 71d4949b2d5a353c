"""Survey's projections of other services' facts: estates, staff, and what each callback requires.

Every write is an upsert that sets only its own columns, so redelivery, and events of one callback
arriving on different topics in any order, leave the same row.
"""

from __future__ import annotations

from huifang_contracts.callback import CallbackScheduled
from huifang_contracts.dispatch import CallbackAssigned, CallbackReassigned, StaffRegistered
from huifang_contracts.envelope import Envelope
from huifang_contracts.intake import EstateRegistered, EstateUpdated
from huifang_infra.db import Connection


async def project_estate(conn: Connection, event: EstateRegistered | EstateUpdated, envelope: Envelope) -> None:
    await conn.execute(
        """INSERT INTO estates (group_id, estate_id, name, timezone, preset, household_count)
           VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (group_id, estate_id) DO UPDATE SET name = EXCLUDED.name, timezone = EXCLUDED.timezone,
               preset = EXCLUDED.preset, household_count = EXCLUDED.household_count""",
        envelope.group_id,
        envelope.estate_id,
        event.name,
        event.timezone,
        event.preset,
        event.household_count,
    )


async def project_staff(conn: Connection, event: StaffRegistered, envelope: Envelope) -> None:
    await conn.execute(
        """INSERT INTO staff (group_id, estate_id, staff_id, name, role, department) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (group_id, staff_id) DO UPDATE SET estate_id = EXCLUDED.estate_id, name = EXCLUDED.name,
               role = EXCLUDED.role, department = EXCLUDED.department""",
        envelope.group_id,
        envelope.estate_id,
        event.staff_id,
        event.name,
        event.role.value,
        event.department,
    )


async def project_scheduled(conn: Connection, event: CallbackScheduled, envelope: Envelope) -> None:
    """What the caller must do: method, window, attempts (R-CB-11), household; the scale if callback names one."""
    # CallbackScheduled carries the policy's `rating_scale` (and the original `worker_id`, not needed here);
    # without a scale, the projection leaves the estate's configured default to decide (R-SV-3, `form_scale`).
    scale = event.rating_scale
    await conn.execute(
        """INSERT INTO callbacks (callback_id, group_id, estate_id, scheduled, kind, source_id, method, caller_role,
               window_start, due_at, deadline, max_attempts, retry_spacing_minutes, scale, unit_id, requester_name,
               requester_phone, category, department, round, scheduled_event_id, correlation_id)
           VALUES ($1, $2, $3, true, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)
           ON CONFLICT (callback_id) DO UPDATE SET scheduled = true, kind = EXCLUDED.kind,
               source_id = EXCLUDED.source_id, method = EXCLUDED.method, caller_role = EXCLUDED.caller_role,
               window_start = EXCLUDED.window_start, due_at = EXCLUDED.due_at, deadline = EXCLUDED.deadline,
               max_attempts = EXCLUDED.max_attempts, retry_spacing_minutes = EXCLUDED.retry_spacing_minutes,
               scale = EXCLUDED.scale, unit_id = EXCLUDED.unit_id, requester_name = EXCLUDED.requester_name,
               requester_phone = EXCLUDED.requester_phone, category = EXCLUDED.category,
               department = EXCLUDED.department, round = EXCLUDED.round,
               scheduled_event_id = EXCLUDED.scheduled_event_id, correlation_id = EXCLUDED.correlation_id""",
        event.callback_id,
        envelope.group_id,
        envelope.estate_id,
        event.kind.value,
        event.source_id,
        event.method.value,
        event.caller_role.value,
        event.window_start,
        event.due_at,
        event.deadline,
        event.max_attempts,
        event.retry_spacing_minutes,
        scale.value if scale is not None else None,
        event.unit_id,
        event.requester_name,
        event.requester_phone,
        event.category,
        event.department,
        event.round,
        envelope.event_id,
        envelope.correlation_id,
    )


async def project_assignment(
    conn: Connection, event: CallbackAssigned | CallbackReassigned, envelope: Envelope
) -> None:
    """Who may record the callback now; a late-arriving older assignment does not undo a newer one."""
    await conn.execute(
        """INSERT INTO callbacks (callback_id, group_id, estate_id, assignee_id, assigned_at)
           VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (callback_id) DO UPDATE SET assignee_id = EXCLUDED.assignee_id,
               assigned_at = EXCLUDED.assigned_at
           WHERE callbacks.assigned_at IS NULL OR callbacks.assigned_at <= EXCLUDED.assigned_at""",
        event.callback_id,
        envelope.group_id,
        envelope.estate_id,
        event.assignee_id,
        envelope.occurred_at,
    )
