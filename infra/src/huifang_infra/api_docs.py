"""Every service's `/docs` from files the service serves itself: Swagger UI without a CDN.

FastAPI's own page loads Swagger UI's script and style from a CDN (and its favicon from another host),
so it is blank where the browser has no internet. `make install` copies the locked `swagger-ui-dist`
files into the ignored cache (`web/scripts/copy-api-docs.mjs`); this module replaces FastAPI's docs
routes with a page that names only `/docs/assets/…`, answered from there. One viewer is kept: ReDoc's
page would need React and its friends bundled too, so `/redoc` is not served.
"""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import FastAPI, HTTPException
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse

ASSETS_URL = "/docs/assets"
#: the files the page loads; nothing else is answered under ASSETS_URL
ASSETS = {
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui.css": "text/css",
    "favicon-32x32.png": "image/png",
}
#: infra/src/huifang_infra/api_docs.py → the repository root
_REPO = Path(__file__).resolve().parents[3]


def assets_dir() -> Path:
    """Where the build copied Swagger UI: `HUIFANG_API_DOCS_DIR`, else `<cache>/web/dist/api-docs`."""
    given = os.environ.get("HUIFANG_API_DOCS_DIR")
    if given:
        return Path(given)
    cache = Path(os.environ.get("HUIFANG_CACHE_DIR") or _REPO / ".cache")
    return cache / "web" / "dist" / "api-docs"


def install_api_docs(app: FastAPI, folder: Path | None = None) -> None:
    """Serve `/docs` with local assets in place of FastAPI's CDN page; drop `/redoc` and its CDN page."""
    cdn_pages = {app.docs_url, app.redoc_url, app.swagger_ui_oauth2_redirect_url} - {None}
    app.router.routes[:] = [r for r in app.router.routes if getattr(r, "path", None) not in cdn_pages]
    app.docs_url = app.redoc_url = app.swagger_ui_oauth2_redirect_url = None
    source = folder or assets_dir()
    title = f"{app.title} — API"
    openapi_url = app.openapi_url or "/openapi.json"

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=openapi_url,
            title=title,
            swagger_js_url=f"{ASSETS_URL}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS_URL}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS_URL}/favicon-32x32.png",
            oauth2_redirect_url=None,
            swagger_ui_parameters={"persistAuthorization": True},
        )

    @app.get(ASSETS_URL + "/{name}", include_in_schema=False)
    async def docs_asset(name: str) -> FileResponse:
        media = ASSETS.get(name)
        path = source / name
        if media is None or not path.is_file():
            raise HTTPException(404, "Swagger UI's assets are not built: make install")
        return FileResponse(path, media_type=media, headers={"Cache-Control": "public, max-age=86400"})
