"""The consumer's handler map: which incoming event type runs which use case."""

from __future__ import annotations

from huifang_contracts.intake import EstateRegistered, EstateUpdated
from huifang_contracts.survey import CallbackAttempted, CallbackCompleted, CallbackFailed
from huifang_infra.consumer import BatchHandler, Handler

from huifang_callback.domain.policy import TRIGGER_EVENTS
from huifang_callback.service_layer.estates import EstateProjection
from huifang_callback.service_layer.outcomes import Outcomes
from huifang_callback.service_layer.scheduling import Scheduling


def handlers(outcomes: Outcomes, estates: EstateProjection) -> dict[str, Handler]:
    return {
        EstateRegistered.TYPE: estates.on_estate,
        EstateUpdated.TYPE: estates.on_estate,
        CallbackAttempted.TYPE: outcomes.on_attempted,
        CallbackCompleted.TYPE: outcomes.on_completed,
        CallbackFailed.TYPE: outcomes.on_failed,
    }


def batch_handlers(scheduling: Scheduling) -> dict[str, BatchHandler]:
    # A run of OrderClosed (or any trigger) is planned and inserted in one statement per table.
    return dict.fromkeys(TRIGGER_EVENTS, scheduling.on_events)
