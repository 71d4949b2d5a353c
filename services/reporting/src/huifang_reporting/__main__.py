"""`python -m huifang_reporting`: the reporting service on its port (8005 unless REPORTING_HTTP_PORT)."""

from __future__ import annotations

from huifang_infra.runtime import serve

from huifang_reporting.bootstrap import create_app
from huifang_reporting.config import ReportingSettings
from huifang_reporting.memory import freeze_startup_objects


def main() -> None:
    settings = ReportingSettings()
    app = create_app(settings)
    freeze_startup_objects()  # the overview's p95 (see memory.py)
    serve(app, settings)


if __name__ == "__main__":
    main()
