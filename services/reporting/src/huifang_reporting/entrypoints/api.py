"""The app's routers and extras (error mapping, dashboard assets), wired by `bootstrap.create_app`."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI

from huifang_reporting.config import ReportingSettings
from huifang_reporting.entrypoints.errors import install_error_handlers
from huifang_reporting.entrypoints.routes import actions, dashboard, kpis, summaries, web_app


def routers() -> list[APIRouter]:
    return [kpis.router, actions.router, summaries.router, dashboard.router, web_app.router]


def configure(app: FastAPI, settings: ReportingSettings) -> None:
    install_error_handlers(app)
    app.state.web_assets_dir = settings.web_assets_dir
