"""Survey's own events: what was recorded of each callback, campaign and ballot, in their streams.

These are the service's facts, not its public language: `service_layer/outgoing.py` maps the ones other
services need to the contracts' events (`CallbackAttempted`, `CallbackCompleted`, …). Each carries what
its projection row shows, so folding a stream gives back every field the API answers with.

Streams: `callback-record-<callback_id>` (contacts, the record, raised complaints), `campaign-<campaign_id>`
(opened, ballots issued, questionnaires returned, closed), `ballot-<token_digest>` (one household's link:
issued, used, cut short when its campaign closes).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar
from uuid import UUID

from huifang_contracts.enums import (
    AttemptResult,
    CallbackMethod,
    CampaignKind,
    FailureReason,
    Relation,
    SurveyDimension,
)
from huifang_contracts.survey import Answer, Ratings

# -- the callback record ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ContactAttempted:
    """One try to reach the requester (R-CB-11), as the caller reported it; `record_late`: R-CB-12."""

    TYPE: ClassVar[str] = "survey.ContactAttempted"
    callback_id: str
    attempt_no: int
    caller_id: str
    result: AttemptResult
    method: CallbackMethod
    contacted_at: datetime
    recorded_at: datetime
    record_late: bool
    answered_by: str | None = None
    relation: Relation | None = None
    duration_seconds: int | None = None
    note: str | None = None
    next_attempt_after: datetime | None = None


@dataclass(frozen=True)
class RecordCompleted:
    """The requester was reached and rated the service (R-SV-3): the callback record."""

    TYPE: ClassVar[str] = "survey.RecordCompleted"
    callback_id: str
    caller_id: str
    method: CallbackMethod
    completed_at: datetime
    recorded_at: datetime
    ratings: Ratings
    satisfied_or_fair: bool
    late: bool
    record_late: bool
    attempts_used: int
    answered_by: str | None = None
    relation: Relation | None = None
    duration_seconds: int | None = None
    comments: str | None = None
    suggestions: str | None = None


@dataclass(frozen=True)
class RecordFailed:
    """R-CB-11: a refusal, a wrong number, or the policy's last attempt unanswered ends the callback."""

    TYPE: ClassVar[str] = "survey.RecordFailed"
    callback_id: str
    reason: FailureReason
    attempts_used: int
    last_result: AttemptResult
    failed_at: datetime
    recorded_at: datetime


@dataclass(frozen=True)
class ComplaintRaised:
    """R-CB-9: the requester raised a new issue during the callback; it becomes a complaint at intake."""

    TYPE: ClassVar[str] = "survey.ComplaintRaised"
    issue_id: str
    callback_id: str
    description: str
    recorded_by: str
    raised_at: datetime
    recorded_at: datetime
    category: str | None = None
    subcategory: str | None = None
    unit_id: str | None = None
    requester_name: str | None = None
    requester_phone: str | None = None


@dataclass(frozen=True)
class CallbackRecord:
    """The callback record's state: its status and every fact recorded so far."""

    status: str = "open"
    attempts_used: int = 0
    attempts: tuple[ContactAttempted, ...] = ()
    completion: RecordCompleted | None = None
    failure: RecordFailed | None = None
    issues: tuple[ComplaintRaised, ...] = ()


@dataclass(frozen=True)
class RecordImported:
    """A callback's rows of before its stream existed (migration 0002): its whole record, once."""

    TYPE: ClassVar[str] = "survey.RecordImported"
    callback_id: str
    record: CallbackRecord


RecordEvent = ContactAttempted | RecordCompleted | RecordFailed | ComplaintRaised | RecordImported
RECORD_EVENTS: tuple[type[RecordEvent], ...] = (
    ContactAttempted,
    RecordCompleted,
    RecordFailed,
    ComplaintRaised,
    RecordImported,
)


# -- the questionnaire campaign -------------------------------------------------------------------------


@dataclass(frozen=True)
class CampaignOpened:
    """R-SV-1/R-SV-2: a campaign per estate over its dimensions and channels; `opened_event_id` names the
    published `SurveyCampaignOpened`, which the campaign's later events correlate to."""

    TYPE: ClassVar[str] = "survey.CampaignOpened"
    campaign_id: str
    title: str
    kind: CampaignKind
    channels: tuple[CallbackMethod, ...]
    dimensions: tuple[SurveyDimension, ...]
    opens_at: datetime
    closes_at: datetime | None
    issued_count: int
    opened_event_id: UUID
    at: datetime


@dataclass(frozen=True)
class BallotsIssued:
    """Ballots handed to households (paper and per-household links): the return rate's denominator (R-SV-4)."""

    TYPE: ClassVar[str] = "survey.BallotsIssued"
    count: int
    at: datetime


@dataclass(frozen=True)
class QuestionnaireAccepted:
    """One household's returned questionnaire, on the three-level scale (R-SV-3)."""

    TYPE: ClassVar[str] = "survey.QuestionnaireAccepted"
    questionnaire_id: str
    channel: CallbackMethod
    answers: tuple[Answer, ...]
    returned_at: datetime
    at: datetime
    unit_id: str | None = None
    comments: str | None = None


@dataclass(frozen=True)
class CampaignClosed:
    """No more returns; the final counts go out."""

    TYPE: ClassVar[str] = "survey.CampaignClosed"
    issued_count: int
    returned_count: int
    at: datetime


@dataclass(frozen=True)
class SurveyCampaign:
    """The campaign's state: its opening (None before), its counts and status."""

    opened: CampaignOpened | None = None
    issued_count: int = 0
    returned_count: int = 0
    status: str = "open"


@dataclass(frozen=True)
class CampaignImported:
    """A campaign of before its stream existed (migration 0003): its state and its questionnaires, once."""

    TYPE: ClassVar[str] = "survey.CampaignImported"
    campaign: SurveyCampaign
    questionnaires: tuple[QuestionnaireAccepted, ...] = ()


CampaignEvent = CampaignOpened | BallotsIssued | QuestionnaireAccepted | CampaignClosed | CampaignImported
CAMPAIGN_EVENTS: tuple[type[CampaignEvent], ...] = (
    CampaignOpened,
    BallotsIssued,
    QuestionnaireAccepted,
    CampaignClosed,
    CampaignImported,
)


# -- the ballot (one household's link) ------------------------------------------------------------------


@dataclass(frozen=True)
class BallotIssued:
    """A per-household link handed out, for a campaign's questionnaire or a callback answered online;
    only the token's SHA-256 is kept (the stream is named by it)."""

    TYPE: ClassVar[str] = "survey.BallotIssued"
    token_digest: str
    kind: str  # `domain.ballots.QUESTIONNAIRE` or `CALLBACK`
    issued_at: datetime
    expires_at: datetime
    campaign_id: str | None = None
    callback_id: str | None = None
    unit_id: str | None = None


@dataclass(frozen=True)
class BallotUsed:
    """The household answered on the link: its one answer (R-SV-1 online channel)."""

    TYPE: ClassVar[str] = "survey.BallotUsed"
    used_at: datetime


@dataclass(frozen=True)
class BallotCutShort:
    """The campaign closed before the link expired: it stops at the close."""

    TYPE: ClassVar[str] = "survey.BallotCutShort"
    expires_at: datetime


@dataclass(frozen=True)
class IssuedBallot:
    """The ballot's state: how it was issued (None before), until when it can be used, when it was."""

    issued: BallotIssued | None = None
    expires_at: datetime | None = None
    used_at: datetime | None = None


@dataclass(frozen=True)
class BallotImported:
    """A ballot of before its stream existed (migration 0004): its state, once."""

    TYPE: ClassVar[str] = "survey.BallotImported"
    ballot: IssuedBallot


BallotEvent = BallotIssued | BallotUsed | BallotCutShort | BallotImported
BALLOT_EVENTS: tuple[type[BallotEvent], ...] = (BallotIssued, BallotUsed, BallotCutShort, BallotImported)
