"""The dashboard of the web workspace (`web/`), built by `make install` into the ignored cache, served here.

`/app/dashboard/…` answers the app's one page for every route of its router (the screens are the
router's); `/app/assets/…` the hashed scripts and styles it loads. The page holds no figures, so it needs
no token; its script calls the KPI API with the bearer token it was opened with. Nothing comes from a
CDN, and the page may load only its own files and call only this service.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, RedirectResponse

router = APIRouter(tags=["dashboard"])

#: Element Plus and ECharts set style attributes, hence 'unsafe-inline' for styles only.
_PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
        "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}
_ASSET_HEADERS = {"Cache-Control": "public, max-age=31536000, immutable", "X-Content-Type-Options": "nosniff"}


def _dist(request: Request) -> Path:
    return Path(request.app.state.web_assets_dir) / "dist"


@router.get("/app/dashboard", include_in_schema=False)
async def dashboard_root() -> RedirectResponse:
    return RedirectResponse("/app/dashboard/", status_code=308)


@router.get("/app/dashboard/{screen:path}", include_in_schema=False)
async def dashboard(request: Request, screen: str) -> FileResponse:
    """Group overview, estate → department → staff, every KPI with its definition (zh-CN first)."""
    page = _dist(request) / "dashboard" / "index.html"
    if not page.is_file():
        raise HTTPException(404, "the web workspace is not built: make install")
    return FileResponse(page, media_type="text/html; charset=utf-8", headers=_PAGE_HEADERS)


@router.get("/app/assets/{name}", include_in_schema=False)
async def asset(request: Request, name: str) -> FileResponse:
    folder = _dist(request) / "assets"
    path = folder / name
    if "/" in name or "\\" in name or name.startswith(".") or not path.is_file():
        raise HTTPException(404, "no such file")
    return FileResponse(path, headers=_ASSET_HEADERS)
