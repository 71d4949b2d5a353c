"""A questionnaire campaign (意见征询, R-SV-1): defined, ballots issued, questionnaires returned, closed.

The counts are the campaign's own invariants: returned never exceeds issued, one questionnaire gives
one rating per dimension on the three-level scale (R-SV-3), and every questionnaire rates "overall"
because overall satisfaction is computed on that item over the questionnaires returned (R-SV-4).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from huifang_contracts.enums import CallbackMethod, CampaignKind, SatisfactionScale, SurveyDimension
from huifang_contracts.survey import Answer

from huifang_survey.domain.errors import Conflict, InputInvalid
from huifang_survey.domain.ratings import rating_on

OPEN, CLOSED = "open", "closed"

#: Issue 8: questionnaires go out written, online or at the door.
CAMPAIGN_CHANNELS = (CallbackMethod.WRITTEN, CallbackMethod.ONLINE, CallbackMethod.DOOR)


@dataclass
class Campaign:
    campaign_id: str
    title: str
    kind: CampaignKind
    channels: tuple[CallbackMethod, ...]
    dimensions: tuple[SurveyDimension, ...]
    opens_at: datetime
    closes_at: datetime | None
    issued_count: int = 0
    returned_count: int = 0
    status: str = OPEN

    def issue(self, ballots: int) -> None:
        """Ballots handed to households: the denominator of the return rate (R-SV-4)."""
        self._require_open()
        if ballots < 0:
            raise InputInvalid("count", "must not be negative")
        self.issued_count += ballots

    def accept(self, answers: Mapping[str, object], comments: Mapping[str, str], returned_at: datetime) -> list[Answer]:
        """One household's questionnaire; the answers in the campaign's dimension order."""
        self._require_open()
        if returned_at < self.opens_at or (self.closes_at is not None and returned_at > self.closes_at):
            raise Conflict("returned outside the campaign's period")
        if self.returned_count >= self.issued_count:
            raise Conflict("every issued questionnaire is already returned (returned ≤ issued, R-SV-4)")
        asked = {d.value for d in self.dimensions}
        for name in list(answers) + list(comments):
            if name not in asked:
                raise InputInvalid(f"answers.{name}", "not a dimension of this campaign")
        if answers.get(SurveyDimension.OVERALL.value) is None:
            raise InputInvalid("answers.overall", "the overall item is required (R-SV-4)")
        result = [
            Answer(
                dimension=d,
                rating=rating_on(SatisfactionScale.THREE_LEVEL, f"answers.{d.value}", answers[d.value]),
                comment=comments.get(d.value) or None,
            )
            for d in self.dimensions
            if answers.get(d.value) not in (None, "")
        ]
        self.returned_count += 1
        return result

    def close(self) -> None:
        self._require_open()
        self.status = CLOSED

    def _require_open(self) -> None:
        if self.status != OPEN:
            raise Conflict(f"campaign {self.campaign_id} is closed")


def define_campaign(
    campaign_id: str,
    title: str,
    kind: CampaignKind,
    channels: Sequence[CallbackMethod],
    dimensions: Sequence[SurveyDimension] | None,
    opens_at: datetime,
    closes_at: datetime | None,
) -> Campaign:
    """R-SV-1/R-SV-2: a campaign over the fourteen dimensions or a subset that includes overall."""
    chosen = tuple(dimensions) if dimensions else tuple(SurveyDimension)
    if len(set(chosen)) != len(chosen):
        raise InputInvalid("dimensions", "a dimension is listed twice")
    if SurveyDimension.OVERALL not in chosen:
        raise InputInvalid("dimensions", "must include overall (R-SV-4)")
    if not channels:
        raise InputInvalid("channels", "at least one of written, online, door")
    for channel in channels:
        if channel not in CAMPAIGN_CHANNELS:
            raise InputInvalid("channels", f"{channel.value} is not written, online or door")
    if closes_at is not None and closes_at <= opens_at:
        raise InputInvalid("closes_at", "must be after opens_at")
    return Campaign(campaign_id, title, kind, tuple(dict.fromkeys(channels)), chosen, opens_at, closes_at)
