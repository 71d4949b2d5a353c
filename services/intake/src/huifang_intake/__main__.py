"""`python -m huifang_intake`: the intake service under uvicorn on its port (8001 unless INTAKE_HTTP_PORT)."""

from __future__ import annotations

from huifang_infra.runtime import serve

from huifang_intake.config import IntakeSettings


def main() -> None:
    serve(IntakeSettings(), "huifang_intake.bootstrap:create_app")


if __name__ == "__main__":
    main()
