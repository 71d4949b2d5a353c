"""`python -m huifang_dispatch`: the dispatch service on its port (8003 unless DISPATCH_HTTP_PORT)."""

from __future__ import annotations

from huifang_infra.runtime import serve

from huifang_dispatch.config import DispatchSettings


def main() -> None:
    serve(DispatchSettings(), "huifang_dispatch.entrypoints.api:create_app")


if __name__ == "__main__":
    main()
