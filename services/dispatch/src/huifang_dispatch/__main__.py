"""`python -m huifang_dispatch`: the dispatch service on its port (8003 unless DISPATCH_HTTP_PORT)."""

from __future__ import annotations

from huifang_infra.runtime import serve

from huifang_dispatch.config import DispatchSettings
from huifang_dispatch.entrypoints.api import create_app


def main() -> None:
    settings = DispatchSettings()
    serve(create_app(settings), settings, factory="huifang_dispatch.entrypoints.api:create_app")


if __name__ == "__main__":
    main()
