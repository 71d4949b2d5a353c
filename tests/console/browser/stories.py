"""The services of the console's browser tests, and the intake facts that start a complaint's callback."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from fastapi import FastAPI
from huifang_contracts.envelope import Envelope
from huifang_contracts.intake import ComplaintRegistered, ComplaintResolved, EstateRegistered
from huifang_dispatch.entrypoints.api import create_app as dispatch_app
from huifang_infra.auth import DEVELOPMENT_JWT_SECRET

from tests.console.browser.servers import Servers
from tests.dispatch.support import settings as dispatch_settings
from tests.support.service import service_settings

GROUP = "G1"
ESTATE = "E1"


def builder(kafka_bootstrap: str) -> Any:
    def build(servers: Servers, name: str, database_url: str) -> FastAPI:
        common: dict[str, Any] = {"http_port": servers.ports[name], "jwt_secret": DEVELOPMENT_JWT_SECRET}
        origin = servers.url("dispatch")
        suffix = servers.suffix
        if name == "dispatch":
            urls = {
                f"console_{n}_url": servers.url(n) for n in ("survey", "callback", "reporting") if n in servers.ports
            }
            return dispatch_app(dispatch_settings(database_url, kafka_bootstrap, suffix, **common, **urls))
        # Imported here: the other services are built by other hands, and a test of dispatch alone
        # must not depend on their modules importing.
        if name == "survey":
            from huifang_survey.config import SurveySettings
            from huifang_survey.entrypoints.api import create_app as survey_app

            s = service_settings(
                SurveySettings, database_url, kafka_bootstrap, suffix, cors_allow_origins=origin, **common
            )
            app: FastAPI = survey_app(s)
            return app
        if name == "callback":
            from huifang_callback.config import CallbackSettings
            from huifang_callback.entrypoints.api import create_app as callback_app

            c = service_settings(
                CallbackSettings, database_url, kafka_bootstrap, suffix, cors_allow_origins=origin,
                timer_tick_seconds=0.5, **common,
            )  # fmt: skip
            app = callback_app(c)
            return app
        from huifang_reporting.bootstrap import create_app as reporting_app

        from tests.reporting.support import reporting_settings

        app = reporting_app(reporting_settings(database_url, kafka_bootstrap, suffix, **common))
        return app

    return build


def wrap(event: Any, aggregate: str, at: datetime, producer: str = "intake") -> Envelope:
    return Envelope.wrap(
        event, group_id=GROUP, estate_id=ESTATE, aggregate_id=aggregate, producer=producer, occurred_at=at
    )


def estate_registered(at: datetime) -> Envelope:
    event = EstateRegistered(name="兰亭苑", estate_type="residential", preset="tianxiacheng", timezone="Asia/Shanghai")
    return wrap(event, ESTATE, at)


def complaint_resolved(complaint_id: str, resolved: datetime) -> list[Envelope]:
    """A general, valid plumbing complaint of unit T3-1502, resolved just now (R-CB-1: 100 % callback)."""
    facts: dict[str, Any] = {
        "complaint_id": complaint_id,
        "grade": "general",
        "validity": "valid",
        "category": "给排水",
        "subcategory": "排水管",
        "department": "engineering",
        "unit_id": "T3-1502",
        "requester_name": "李敏",
        "requester_phone": "13800138000",
    }
    registered = ComplaintRegistered(
        **facts, channel="hotline", description="卫生间排水管漏水", received_at=resolved - timedelta(hours=3)
    )
    resolved_event = ComplaintResolved(
        **facts, result="更换排水管件", resolved_at=resolved, round=1, accepted_by_requester=True
    )
    return [wrap(registered, complaint_id, resolved - timedelta(hours=3)), wrap(resolved_event, complaint_id, resolved)]
