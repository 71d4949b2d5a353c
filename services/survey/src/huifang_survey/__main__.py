"""`python -m huifang_survey`: the survey service under uvicorn on its port (8004 by default)."""

from __future__ import annotations

from huifang_infra.runtime import serve

from huifang_survey.config import SurveySettings


def main() -> None:
    serve(SurveySettings(), "huifang_survey.entrypoints.api:create_app")


if __name__ == "__main__":
    main()
