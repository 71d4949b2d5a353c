"""The survey app: the runtime's lifespan, survey's routers, and the one place errors become problems."""

from __future__ import annotations

from fastapi import FastAPI
from huifang_infra.runtime import create_service_app

from huifang_survey.bootstrap import Clock, Survey, bootstrap, utc_now
from huifang_survey.config import SurveySettings
from huifang_survey.entrypoints.problems import install_problem_handlers
from huifang_survey.entrypoints.routes import callbacks, campaigns, pages

TITLE = "回访与满意度调查 Survey"


def create_app(
    settings: SurveySettings | None = None, *, clock: Clock = utc_now, survey: Survey | None = None
) -> FastAPI:
    survey = survey or bootstrap(settings, clock=clock)

    def configure(app: FastAPI) -> None:
        app.state.survey = survey
        install_problem_handlers(app)

    return create_service_app(
        survey.runtime,
        title=TITLE,
        description="回访记录、评分、问卷征询与回访中提出的投诉 — callback records, ratings, questionnaires.",
        routers=[callbacks.router, campaigns.router, pages.router],
        configure=configure,
    )
