"""The consumer's handlers: write the facts of a run of events; the months they touch are recounted.

One batch handler per event type (the consumer hands each a run of consecutive events of one type in
its poll's transaction). Each change of a counted fact marks the months it left and joined, and the
database recounts every marked month once when the poll's transaction commits (migration 0003): the
inbox rows, the facts and the roll-up commit together, and a poll's many runs share one recount.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

from huifang_contracts.envelope import Envelope
from huifang_infra.consumer import BatchHandler
from huifang_infra.db import Connection

from huifang_reporting.adapters import callback_facts as cb
from huifang_reporting.adapters import other_facts as of

Writer = Callable[[Connection, Sequence[tuple[Any, Envelope]]], Awaitable[None]]

WRITERS: Mapping[str, Writer] = {
    "intake.EstateRegistered": of.estates,
    "intake.EstateUpdated": of.estates,
    "intake.OrderClosed": of.sources,
    "intake.RenovationCompleted": of.sources,
    "intake.ServiceRequestClosed": of.sources,
    "intake.ComplaintRegistered": of.complaints_registered,
    "intake.ComplaintResolved": of.complaints_resolved,
    "callback.ComplaintReopened": of.complaints_reopened,
    "callback.PolicyChanged": of.policies,
    "callback.SampleDrawn": of.samples,
    "callback.CallbackScheduled": cb.scheduled,
    "callback.CallbackOverdue": cb.overdue,
    "dispatch.StaffRegistered": of.staff,
    "dispatch.CallbackAssigned": cb.assigned,
    "dispatch.CallbackReassigned": cb.assigned,
    "survey.CallbackAttempted": cb.attempted,
    "survey.CallbackCompleted": cb.completed,
    "survey.CallbackFailed": cb.failed,
    "survey.SurveyCampaignOpened": of.campaigns_opened,
    "survey.QuestionnaireReturned": of.questionnaires,
    "survey.SurveyCampaignClosed": of.campaigns_closed,
}


def _batch_handler(write: Writer) -> BatchHandler:
    async def handle(conn: Connection, batch: list[tuple[Any, Envelope]]) -> None:
        await write(conn, batch)

    handle.__name__ = f"project_{write.__name__}"
    return handle


def batch_handlers() -> dict[str, BatchHandler]:
    """Every event reporting consumes (contracts CONSUMES[REPORTING]) → its batch handler."""
    return {event_type: _batch_handler(write) for event_type, write in WRITERS.items()}
