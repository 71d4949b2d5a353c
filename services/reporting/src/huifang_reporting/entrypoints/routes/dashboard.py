"""The dashboard: one jinja2 page and its script, fed by the KPI API; ECharts served from the local cache.

The page itself holds no figures (so it needs no token); its script calls the API with the bearer
token given as `?token=` and kept in the tab's session storage. No CDN: the browser may have no internet.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

PACKAGE = Path(__file__).resolve().parents[2]
STATIC = PACKAGE / "static"
ECHARTS = Path("node_modules/echarts/dist/echarts.min.js")
_templates = Environment(loader=FileSystemLoader(PACKAGE / "templates"), autoescape=select_autoescape(["html"]))

router = APIRouter(tags=["dashboard"])

TITLES = {"zh": "回访报表看板", "en": "Callback reporting dashboard"}


@router.get("/dashboard", response_class=HTMLResponse, include_in_schema=False)
async def dashboard(lang: Literal["zh", "en"] = "zh") -> HTMLResponse:
    """Group overview, KPI trends, drill-down estate → department → staff, export links (zh-CN first)."""
    page = _templates.get_template("dashboard.html").render(lang=lang, title=TITLES[lang])
    return HTMLResponse(page)


@router.get("/static/echarts.min.js", include_in_schema=False)
async def echarts(request: Request) -> FileResponse:
    path = Path(request.app.state.web_assets_dir) / ECHARTS
    if not path.is_file():
        raise HTTPException(404, "echarts is not fetched: python services/reporting/scripts/fetch_assets.py")
    return FileResponse(path, media_type="text/javascript")


@router.get("/static/{name}", include_in_schema=False)
async def static(name: str) -> FileResponse:
    path = STATIC / name
    if "/" in name or not path.is_file():
        raise HTTPException(404, "no such file")
    media = "text/javascript" if name.endswith(".js") else "text/css" if name.endswith(".css") else None
    return FileResponse(path, media_type=media)
