"""Survey's own events → contract events, one function each, enveloped for the outbox.

The callback record's events go out on `survey.outcomes`, the campaign's on `survey.campaigns`; an import
publishes nothing (its facts went out before the stream existed).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import UUID

from huifang_contracts.base import IntegrationEvent
from huifang_contracts.enums import StaffRole
from huifang_contracts.envelope import Envelope
from huifang_contracts.survey import (
    CallbackAttempted,
    CallbackCompleted,
    CallbackFailed,
    ComplaintRaisedDuringCallback,
    QuestionnaireReturned,
    SurveyCampaignClosed,
    SurveyCampaignOpened,
)
from huifang_infra.repository import Cause, Decided

from huifang_survey.domain.callback import issue_id_for as issue_id_for
from huifang_survey.domain.events import (
    CampaignClosed,
    CampaignOpened,
    ComplaintRaised,
    ContactAttempted,
    QuestionnaireAccepted,
    RecordCompleted,
    RecordFailed,
    SurveyCampaign,
)

PRODUCER = "survey"

#: R-CB-9: a complaint raised during a callback is escalated to the supervisor, the office manager.
ESCALATE_RAISED_TO = StaffRole.OFFICE_MANAGER


class Tenancy:
    """Where an event belongs and what caused it: every envelope of one request shares these."""

    def __init__(
        self, group_id: str, estate_id: str, correlation_id: UUID | None, causation_id: UUID | None, now: datetime
    ) -> None:
        self.group_id, self.estate_id, self.now = group_id, estate_id, now
        self.correlation_id, self.causation_id = correlation_id, causation_id

    def wrap(self, event: IntegrationEvent, aggregate_id: str, occurred_at: datetime) -> Envelope:
        return Envelope.wrap(
            event,
            group_id=self.group_id,
            estate_id=self.estate_id,
            aggregate_id=aggregate_id,
            producer=PRODUCER,
            occurred_at=occurred_at,
            recorded_at=self.now,
            correlation_id=self.correlation_id,
            causation_id=self.causation_id,
        )


def _tenancy(cause: Cause, recorded_at: datetime) -> Tenancy:
    """A callback's events join the chain of its `CallbackScheduled` (correlation and causation)."""
    assert cause.estate_id is not None
    return Tenancy(cause.group_id, cause.estate_id, cause.correlation_id, cause.causation_id, recorded_at)


def attempted(e: ContactAttempted, cause: Cause) -> Envelope:
    event = CallbackAttempted(
        callback_id=e.callback_id,
        attempt_no=e.attempt_no,
        result=e.result,
        method=e.method,
        caller_id=e.caller_id,
        attempted_at=e.contacted_at,
        next_attempt_after=e.next_attempt_after,
        note=e.note,
    )
    return _tenancy(cause, e.recorded_at).wrap(event, e.callback_id, e.contacted_at)


def completed(e: RecordCompleted, cause: Cause) -> Envelope:
    event = CallbackCompleted(
        callback_id=e.callback_id,
        caller_id=e.caller_id,
        method=e.method,
        completed_at=e.completed_at,
        answered_by=e.answered_by,
        relation=e.relation,
        ratings=e.ratings,
        satisfied_or_fair=e.satisfied_or_fair,
        comments=e.comments,
        suggestions=e.suggestions,
        late=e.late,
        record_late=e.record_late,
        attempts_used=e.attempts_used,
    )
    return _tenancy(cause, e.recorded_at).wrap(event, e.callback_id, e.completed_at)


def failed(e: RecordFailed, cause: Cause) -> Envelope:
    event = CallbackFailed(
        callback_id=e.callback_id, attempts_used=e.attempts_used, last_result=e.last_result, reason=e.reason
    )
    return _tenancy(cause, e.recorded_at).wrap(event, e.callback_id, e.failed_at)


def raised(e: ComplaintRaised, cause: Cause) -> Envelope:
    event = ComplaintRaisedDuringCallback(
        issue_id=e.issue_id,
        callback_id=e.callback_id,
        description=e.description,
        category=e.category,
        subcategory=e.subcategory,
        unit_id=e.unit_id,
        requester_name=e.requester_name,
        requester_phone=e.requester_phone,
        recorded_by=e.recorded_by,
        escalate_to_role=ESCALATE_RAISED_TO,
    )
    return _tenancy(cause, e.recorded_at).wrap(event, e.callback_id, e.raised_at)


_RECORD_PUBLISHED: dict[type[Any], Callable[[Any, Cause], Envelope]] = {
    ContactAttempted: attempted,
    RecordCompleted: completed,
    RecordFailed: failed,
    ComplaintRaised: raised,
    # RecordImported: nothing — its facts were published before the stream existed
}


def record_published(decided: Decided[Any, Any, Any]) -> list[Envelope]:
    """The contract events of one recorded contact, in the order the record raised them."""
    return [_RECORD_PUBLISHED[type(e)](e, decided.cause) for e in decided.events if type(e) in _RECORD_PUBLISHED]


# -- the questionnaire campaign -------------------------------------------------------------------------


def _campaign_tenancy(state: SurveyCampaign, cause: Cause, now: datetime) -> Tenancy:
    """A campaign's later events correlate to its opening."""
    assert state.opened is not None and cause.estate_id is not None
    opened = state.opened.opened_event_id
    return Tenancy(cause.group_id, cause.estate_id, opened, opened, now)


def opened(e: CampaignOpened, _state: SurveyCampaign, cause: Cause) -> Envelope:
    event = SurveyCampaignOpened(
        campaign_id=e.campaign_id,
        title=e.title,
        kind=e.kind,
        method=e.channels[0],  # the main channel; all of them in `channels`
        channels=list(e.channels),
        dimensions=list(e.dimensions),
        issued_count=e.issued_count,
        opens_at=e.opens_at,
        closes_at=e.closes_at,
    )
    assert cause.estate_id is not None
    return Envelope.wrap(
        event,
        group_id=cause.group_id,
        estate_id=cause.estate_id,
        aggregate_id=e.campaign_id,
        producer=PRODUCER,
        occurred_at=e.at,
        recorded_at=e.at,
        event_id=e.opened_event_id,
    )


def returned(e: QuestionnaireAccepted, state: SurveyCampaign, cause: Cause) -> Envelope:
    assert state.opened is not None
    event = QuestionnaireReturned(
        campaign_id=state.opened.campaign_id,
        questionnaire_id=e.questionnaire_id,
        unit_id=e.unit_id,
        answers=list(e.answers),
        comments=e.comments,
    )
    return _campaign_tenancy(state, cause, e.at).wrap(event, state.opened.campaign_id, e.returned_at)


def closed(e: CampaignClosed, state: SurveyCampaign, cause: Cause) -> Envelope:
    assert state.opened is not None
    event = SurveyCampaignClosed(
        campaign_id=state.opened.campaign_id, issued_count=e.issued_count, returned_count=e.returned_count
    )
    return _campaign_tenancy(state, cause, e.at).wrap(event, state.opened.campaign_id, e.at)


_CAMPAIGN_PUBLISHED: dict[type[Any], Callable[[Any, SurveyCampaign, Cause], Envelope]] = {
    CampaignOpened: opened,
    QuestionnaireAccepted: returned,
    CampaignClosed: closed,
    # BallotsIssued: no contract event (the counts go out with SurveyCampaignClosed); CampaignImported: nothing
}


def campaign_published(decided: Decided[Any, SurveyCampaign, Any]) -> list[Envelope]:
    """The contract events of what one command decided to a campaign."""
    return [
        _CAMPAIGN_PUBLISHED[type(e)](e, decided.state, decided.cause)
        for e in decided.events
        if type(e) in _CAMPAIGN_PUBLISHED
    ]
