"""`python -m huifang_survey`: the survey service under uvicorn on its port (8004 by default)."""

from __future__ import annotations

from huifang_infra.runtime import serve

from huifang_survey.config import SurveySettings
from huifang_survey.entrypoints.api import create_app


def main() -> None:
    settings = SurveySettings()
    serve(create_app(settings), settings, factory="huifang_survey.entrypoints.api:create_app")


if __name__ == "__main__":
    main()
