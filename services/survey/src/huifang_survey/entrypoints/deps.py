"""FastAPI dependency aliases shared by the routers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from huifang_survey.bootstrap import Survey


def survey_of(request: Request) -> Survey:
    survey = request.app.state.survey
    assert isinstance(survey, Survey)
    return survey


SurveyDep = Annotated[Survey, Depends(survey_of)]
