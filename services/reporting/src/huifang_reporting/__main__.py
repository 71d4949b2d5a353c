"""`python -m huifang_reporting`: the reporting service on its port (8005 unless REPORTING_HTTP_PORT)."""

from __future__ import annotations

from huifang_infra.runtime import serve

from huifang_reporting.bootstrap import create_app
from huifang_reporting.config import ReportingSettings


def main() -> None:
    settings = ReportingSettings()
    # `serve` tunes the garbage collector, on which the overview's p95 depends (infra/gc_tuning.py).
    serve(create_app(settings), settings, factory="huifang_reporting.bootstrap:create_app")


if __name__ == "__main__":
    main()
