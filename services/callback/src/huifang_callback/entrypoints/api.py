"""The callback service's FastAPI app: the runtime's lifespan, the routers, problem responses."""

from __future__ import annotations

from fastapi import FastAPI
from huifang_infra.runtime import create_service_app

from huifang_callback.bootstrap import Components, build_runtime
from huifang_callback.config import CallbackSettings
from huifang_callback.entrypoints.errors import install_error_handlers
from huifang_callback.entrypoints.routes import calendars, callbacks, policies, samples


def create_app(settings: CallbackSettings | None = None, components: Components | None = None) -> FastAPI:
    components = components or Components(settings or CallbackSettings())
    runtime = build_runtime(components)

    def configure(app: FastAPI) -> None:
        app.state.components = components
        install_error_handlers(app)

    return create_service_app(
        runtime,
        title="回访策略引擎 Callback policy engine",
        description="谁回访、何时、如何回访 — who is called back, when, how and by whom (R-CB-1 … R-CB-13).",
        routers=[policies.router, callbacks.router, samples.router, calendars.router],
        configure=configure,
    )
