"""The console's page and its static files; everything else it shows comes from the services' APIs."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from huifang_infra.page_security import new_nonce, secured

from huifang_dispatch.config import DispatchSettings

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=HERE / "templates")
router = APIRouter(tags=["console 工作台"], include_in_schema=False)

#: seed 000 §4.9.3: a door-visit talk should last about ten minutes; the console reminds after that.
TALK_REMINDER_SECONDS = 600


def browser_config(settings: DispatchSettings) -> dict[str, object]:
    """What the page needs to reach the other services (their addresses as the browser sees them)."""
    return {
        "survey": settings.console_survey_url.rstrip("/"),
        "callback": settings.console_callback_url.rstrip("/"),
        "reporting": settings.console_reporting_url.rstrip("/"),
        "talkReminderSeconds": TALK_REMINDER_SECONDS,
    }


@router.get("/", response_class=RedirectResponse)
async def home() -> RedirectResponse:
    return RedirectResponse("/console", status_code=307)


@router.get("/console", response_class=HTMLResponse)
async def console_page(request: Request) -> HTMLResponse:
    """One page; the fragment (#/queue, #/record/…, #/duty, #/manage) says which screen."""
    settings: DispatchSettings = request.app.state.runtime.settings
    config = json.dumps(browser_config(settings), ensure_ascii=False)
    nonce = new_nonce()
    page = templates.TemplateResponse(request, "console.html", {"config": config, "csp_nonce": nonce})
    # its scripts, its styles and the APIs it calls; never framed, cached or referred on
    services = (settings.console_survey_url, settings.console_callback_url, settings.console_reporting_url)
    return secured(page, nonce, connect=services)


def mount_static(app: FastAPI) -> None:
    app.mount("/console/static", StaticFiles(directory=HERE / "static"), name="console-static")
