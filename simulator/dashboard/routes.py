"""Serves the dashboard page; the page itself fetches ``/_sim/*`` JSON."""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

PAGE = Path(__file__).with_name("index.html")


async def dashboard(request: Request) -> Response:
    return HTMLResponse(PAGE.read_text(encoding="utf-8"))


async def to_dashboard(request: Request) -> Response:
    return RedirectResponse(url=str(request.url_for("sim:dashboard")), status_code=307)


def dashboard_routes() -> list[Route]:
    return [
        Route("/ui/", dashboard, methods=["GET"], name="sim:dashboard"),
        Route("/ui", to_dashboard, methods=["GET"]),
    ]
