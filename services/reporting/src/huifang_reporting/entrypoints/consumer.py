"""The consumer's handler map: write the facts of a run of events; the months they touch are recounted.

Event types are the contracts' own `TYPE`s. One batch handler per event type (the consumer hands each a
run of consecutive events of one type in its poll's transaction). Each change of a counted fact marks
the months it left and joined, and the database recounts every marked month once when the poll's
transaction commits (migration 0003): the inbox rows, the facts and the roll-up commit together, and a
poll's many runs share one recount.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

from huifang_contracts.callback import (
    CallbackOverdue,
    CallbackScheduled,
    ComplaintReopened,
    PolicyChanged,
    SampleDrawn,
)
from huifang_contracts.dispatch import CallbackAssigned, CallbackReassigned, StaffRegistered
from huifang_contracts.envelope import Envelope
from huifang_contracts.intake import (
    ComplaintRegistered,
    ComplaintResolved,
    EstateRegistered,
    EstateUpdated,
    OrderClosed,
    RenovationCompleted,
    ServiceRequestClosed,
)
from huifang_contracts.survey import (
    CallbackAttempted,
    CallbackCompleted,
    CallbackFailed,
    QuestionnaireReturned,
    SurveyCampaignClosed,
    SurveyCampaignOpened,
)
from huifang_infra.consumer import BatchHandler
from huifang_infra.db import Connection

from huifang_reporting.adapters import callback_facts as cb
from huifang_reporting.adapters import other_facts as of

Writer = Callable[[Connection, Sequence[tuple[Any, Envelope]]], Awaitable[None]]

WRITERS: Mapping[str, Writer] = {
    EstateRegistered.TYPE: of.estates,
    EstateUpdated.TYPE: of.estates,
    OrderClosed.TYPE: of.sources,
    RenovationCompleted.TYPE: of.sources,
    ServiceRequestClosed.TYPE: of.sources,
    ComplaintRegistered.TYPE: of.complaints_registered,
    ComplaintResolved.TYPE: of.complaints_resolved,
    ComplaintReopened.TYPE: of.complaints_reopened,
    PolicyChanged.TYPE: of.policies,
    SampleDrawn.TYPE: of.samples,
    CallbackScheduled.TYPE: cb.scheduled,
    CallbackOverdue.TYPE: cb.overdue,
    StaffRegistered.TYPE: of.staff,
    CallbackAssigned.TYPE: cb.assigned,
    CallbackReassigned.TYPE: cb.assigned,
    CallbackAttempted.TYPE: cb.attempted,
    CallbackCompleted.TYPE: cb.completed,
    CallbackFailed.TYPE: cb.failed,
    SurveyCampaignOpened.TYPE: of.campaigns_opened,
    QuestionnaireReturned.TYPE: of.questionnaires,
    SurveyCampaignClosed.TYPE: of.campaigns_closed,
}


def _batch_handler(write: Writer) -> BatchHandler:
    async def handle(conn: Connection, batch: list[tuple[Any, Envelope]]) -> None:
        await write(conn, batch)

    handle.__name__ = f"project_{write.__name__}"
    return handle


def batch_handlers() -> dict[str, BatchHandler]:
    """Every event reporting consumes (contracts CONSUMES[REPORTING]) → its batch handler."""
    return {event_type: _batch_handler(write) for event_type, write in WRITERS.items()}
