"""The questionnaire campaign as a decider, given / when / then with no I/O (issue 17 §1; R-SV-1 … R-SV-4)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from huifang_contracts.enums import CallbackMethod, CampaignKind, Satisfaction3, SurveyDimension
from huifang_survey.domain.campaign import define_campaign
from huifang_survey.domain.errors import Conflict, InputInvalid
from huifang_survey.domain.events import (
    BallotsIssued,
    CampaignClosed,
    CampaignImported,
    CampaignOpened,
    QuestionnaireAccepted,
    SurveyCampaign,
)
from huifang_survey.domain.survey_campaign import CloseCampaign, IssueBallots, OpenCampaign, ReturnQuestionnaire
from huifang_survey.service_layer.campaign_streams import campaign_codec, survey_campaign

pytestmark = pytest.mark.unit

OPENS = datetime(2026, 7, 1, tzinfo=UTC)
DIMS = [SurveyDimension.OVERALL, SurveyDimension.CLEANING]


def open_command(issued: int = 0) -> OpenCampaign:
    c = define_campaign(
        "cp-1", "2026年下半年意见征询", CampaignKind.FULL, [CallbackMethod.WRITTEN, CallbackMethod.ONLINE], DIMS,
        OPENS, OPENS + timedelta(days=30),
    )  # fmt: skip
    c.issue(issued)
    return OpenCampaign(c, OPENS)


def returned(qid: str, overall: str = "satisfied") -> ReturnQuestionnaire:
    at = OPENS + timedelta(days=2)
    return ReturnQuestionnaire(qid, CallbackMethod.WRITTEN, {"overall": overall, "cleaning": "一般满意"}, at, at)


OPENED = survey_campaign.given_when([], open_command(issued=2))


def test_r_sv_1_given_nothing_when_opened_then_the_campaign_with_its_paper_ballots() -> None:
    (event,) = OPENED
    assert isinstance(event, CampaignOpened)
    assert (event.campaign_id, event.issued_count, event.dimensions) == ("cp-1", 2, tuple(DIMS))
    # the id of its SurveyCampaignOpened is the campaign's own: a rebuild or a replay names the same one
    assert survey_campaign.given_when([], open_command())[0] == OPENED[0].__class__(
        **{**event.__dict__, "issued_count": 0}
    )


def test_given_an_opened_campaign_when_opened_again_then_refused() -> None:
    with pytest.raises(Conflict):
        survey_campaign.given_when(OPENED, open_command())


def test_r_sv_4_ballots_issued_count_paper_and_links_and_a_household_once() -> None:
    at = OPENS + timedelta(days=1)
    assert survey_campaign.given_when(OPENED, IssueBallots(3, ("T1-101", "T1-102"), at)) == [BallotsIssued(5, at)]
    with pytest.raises(InputInvalid):
        survey_campaign.given_when(OPENED, IssueBallots(0, ("T1-101", "T1-101"), at))


def test_r_sv_4_given_two_issued_when_a_third_returns_then_refused() -> None:
    given = [*OPENED, *survey_campaign.given_when(OPENED, returned("q-1"))]
    given += survey_campaign.given_when(given, returned("q-2", "dissatisfied"))
    assert (survey_campaign.fold(given).issued_count, survey_campaign.fold(given).returned_count) == (2, 2)
    with pytest.raises(Conflict):
        survey_campaign.given_when(given, returned("q-3"))


def test_r_sv_3_a_returned_questionnaire_is_on_the_three_level_scale() -> None:
    (event,) = survey_campaign.given_when(OPENED, returned("q-1"))
    assert isinstance(event, QuestionnaireAccepted)
    assert [(a.dimension, a.rating) for a in event.answers] == [
        (SurveyDimension.OVERALL, Satisfaction3.SATISFIED),
        (SurveyDimension.CLEANING, Satisfaction3.FAIRLY_SATISFIED),
    ]


def test_given_a_closed_campaign_then_no_return_no_ballot_and_no_second_close() -> None:
    at = OPENS + timedelta(days=3)
    closing = survey_campaign.given_when(OPENED, CloseCampaign(at))
    assert closing == [CampaignClosed(2, 0, at)]
    given = [*OPENED, *closing]
    assert survey_campaign.fold(given).status == "closed"
    for command in (returned("q-1"), IssueBallots(1, (), at), CloseCampaign(at)):
        with pytest.raises(Conflict):
            survey_campaign.given_when(given, command)


def test_given_an_imported_campaign_then_its_counts_hold() -> None:
    assert isinstance(OPENED[0], CampaignOpened)
    state = SurveyCampaign(OPENED[0], issued_count=4, returned_count=4)
    with pytest.raises(Conflict):
        survey_campaign.given_when([CampaignImported(state)], returned("q-9"))


def test_every_event_round_trips_through_the_codec() -> None:
    codec = campaign_codec()
    accepted = survey_campaign.given_when(OPENED, returned("q-1"))
    closed = CampaignClosed(2, 1, OPENS)
    questionnaires = tuple(q for q in accepted if isinstance(q, QuestionnaireAccepted))
    imported = CampaignImported(survey_campaign.fold([*OPENED, *accepted]), questionnaires)
    for event in [*OPENED, BallotsIssued(3, OPENS), *accepted, closed, imported]:
        assert codec.decode(codec.type_of(event), codec.encode(event)) == event
