"""The control API: every module's table of calls, mounted under ``/_sim``, and its OpenAPI document."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from simulator.control import events, openapi, routes, runs, stories, tenants, trigger, webhooks
from simulator.control.table import ControlOp, build_routes
from simulator.web import JSONResponse


async def openapi_json(request: Request) -> Response:
    state = request.app.state  # one simulator per app: its document is made once
    doc = getattr(state, "openapi", None)
    if doc is None:
        doc = state.openapi = openapi.document(state.sim, control_operations())
    return JSONResponse(doc)


OPERATIONS = [
    ControlOp("GET", "/openapi.json", openapi_json, "openapi", "This document (OpenAPI 3.1)", "openapi.response"),
]


def control_operations() -> list[ControlOp]:
    """Every call of the control API's own tables (providers add theirs under /_sim/<provider>/)."""
    tables = (routes, webhooks, events, runs, stories, tenants, trigger)
    return [*(op for table in tables for op in table.OPERATIONS), *OPERATIONS]


def control_routes() -> list[BaseRoute]:
    from simulator.control.home import home_routes
    from simulator.dashboard.routes import dashboard_routes

    return [*home_routes(), *dashboard_routes(), *build_routes(control_operations())]
