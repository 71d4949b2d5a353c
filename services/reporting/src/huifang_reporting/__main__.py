"""`python -m huifang_reporting`: the reporting service on its port (8005 unless REPORTING_HTTP_PORT)."""

from __future__ import annotations

from huifang_infra.runtime import serve

from huifang_reporting.config import ReportingSettings


def main() -> None:
    # `serve` tunes the garbage collector, on which the overview's p95 depends (infra/gc_tuning.py).
    serve(ReportingSettings(), "huifang_reporting.bootstrap:create_app")


if __name__ == "__main__":
    main()
