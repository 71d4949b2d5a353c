"""Intake's registry events → this service's estate projection (zone and preset, R-CB-2).

A new estate announces the policy in force for it (its group's, or else its preset), and an estate
running its preset announces a change of preset, so reporting's denominators know the rules from the
first day (`PolicyChanged`).
"""

from __future__ import annotations

import uuid
from typing import Any

from huifang_contracts.envelope import Envelope
from huifang_infra.db import Connection
from huifang_infra.outbox import Outbox

from huifang_callback.adapters.estates import Estate, get_estate, upsert_estate
from huifang_callback.adapters.policies import in_force_for
from huifang_callback.domain.presets import preset_name, preset_policy
from huifang_callback.service_layer.outgoing import PRODUCER
from huifang_callback.service_layer.policies import policy_changed


class EstateProjection:
    def __init__(self, outbox: Outbox) -> None:
        self._outbox = outbox

    async def on_estate(self, conn: Connection, event: Any, envelope: Envelope) -> None:
        """EstateRegistered and EstateUpdated both carry the full set of facts: one upsert."""
        before = await get_estate(conn, envelope.estate_id)
        estate = Estate(envelope.group_id, envelope.estate_id, event.name, event.preset, event.timezone,
                        event.calendar, event.region)  # fmt: skip
        await upsert_estate(conn, estate, envelope.occurred_at)
        configured = await in_force_for(conn, estate.group_id, estate.estate_id)
        if before is not None and (configured is not None or preset_name(before.preset) == preset_name(estate.preset)):
            return  # nothing changed in force: a configured policy governs, or the same preset
        # A new estate learns the policy in force (its group's, or its preset); a preset change, the new preset.
        policy = configured.in_force if configured is not None else preset_policy(estate.preset)
        changed_by = configured.changed_by if configured is not None else None
        announced = policy_changed(policy, envelope.occurred_at, changed_by)
        await self._outbox.add(
            conn,
            [
                Envelope.wrap_caused_by(
                    announced,
                    envelope,
                    group_id=estate.group_id,
                    estate_id=estate.estate_id,
                    aggregate_id=policy.policy_id,
                    producer=PRODUCER,
                    occurred_at=envelope.occurred_at,
                    recorded_at=envelope.recorded_at,
                    event_id=uuid.uuid5(envelope.event_id, "policy-in-force"),
                )
            ],
        )
