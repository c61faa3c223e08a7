"""Serves the dashboard: one page and its scripts and styles, all from this folder (and the hosted
pages' scenario picker from the toolkit). The page itself reads and acts through ``/_sim/*`` JSON.

Files are read once, on first use, and served from memory with their type; anything else under
``/_sim/ui/`` is a 404. The same control guard as every ``/_sim`` call stands in front (the token).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from simulator.toolkit.pages import SHARED_TEMPLATES

HERE = Path(__file__).parent
PAGE = HERE / "index.html"
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
}
# What the page loads: its own modules and style, and the hosted pages' picker (one look, one behaviour).
ASSETS = {
    **{path.name: path for path in HERE.iterdir() if path.suffix in (".js", ".css")},
    "picker.js": SHARED_TEMPLATES / "kycsim" / "picker.js",
    "picker.css": SHARED_TEMPLATES / "kycsim" / "picker.css",
}
# The page runs only its own scripts, talks only to its own origin, and is framed by nobody.
POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self' data:;"
    " frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)


@cache
def _read(path: Path) -> bytes:
    return path.read_bytes()


def _file(path: Path) -> Response:
    headers = {"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff", "Content-Security-Policy": POLICY}
    return Response(_read(path), media_type=TYPES[path.suffix], headers=headers)


async def dashboard(request: Request) -> Response:
    return _file(PAGE)


async def asset(request: Request) -> Response:
    path = ASSETS.get(request.path_params["name"])
    if path is None:
        return JSONResponse({"error": {"type": "not_found", "message": "no such dashboard file"}}, status_code=404)
    return _file(path)


async def to_dashboard(request: Request) -> Response:
    return RedirectResponse(url=str(request.url_for("sim:dashboard")), status_code=307)


def dashboard_routes() -> list[Route]:
    return [
        Route("/ui/", dashboard, methods=["GET"], name="sim:dashboard"),
        Route("/ui", to_dashboard, methods=["GET"]),
        Route("/ui/{name}", asset, methods=["GET"], name="sim:dashboard_file"),
    ]
