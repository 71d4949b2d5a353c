"""The consumer's handler map: which incoming event type updates which of survey's read models.

Event types are the contracts' own `TYPE`s: a renamed or removed event is an import error here, not a
handler that silently never runs.
"""

from __future__ import annotations

from huifang_contracts.callback import CallbackScheduled
from huifang_contracts.dispatch import CallbackAssigned, CallbackReassigned, StaffRegistered
from huifang_contracts.intake import EstateRegistered, EstateUpdated
from huifang_infra.consumer import Handler

from huifang_survey.adapters import projections


def handlers() -> dict[str, Handler]:
    return {
        EstateRegistered.TYPE: projections.project_estate,
        EstateUpdated.TYPE: projections.project_estate,
        StaffRegistered.TYPE: projections.project_staff,
        CallbackScheduled.TYPE: projections.project_scheduled,
        CallbackAssigned.TYPE: projections.project_assignment,
        CallbackReassigned.TYPE: projections.project_assignment,
    }
