"""The demo's corner of the control API: ``POST /_sim/demo/widgets/{widget_id}/status {"status": ...}``
sets a widget's status now, whichever tenant made it, and sends its event."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from simulator.control.errors import ControlError, bad_request, json_body, not_found
from tests.support.demo_provider.state import DemoState
from tests.support.demo_provider.verbs import STATUSES, change_status


async def set_widget_status(request: Request) -> Response:
    sim = request.app.state.sim
    widget_id = request.path_params["widget_id"]
    try:
        status = (await json_body(request)).get("status")
        if status not in STATUSES:
            raise bad_request(f"status must be one of {', '.join(STATUSES)}, not {status!r}")
        states = (DemoState(sim, tenant) for tenant in sim.store.tenants())
        found = next(((state, w) for state in states if (w := state.widget(widget_id)) is not None), None)
        if found is None:
            raise not_found(f"no widget {widget_id}")
    except ControlError as exc:
        return exc.response()
    state, widget = found
    change_status(state, widget, status)
    return JSONResponse(widget)
