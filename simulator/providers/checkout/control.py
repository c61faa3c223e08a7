"""Checkout.com's corner of the control API (``/_sim/checkout/...``): what a reviewer or ongoing
monitoring does to an AML screening, on demand:

- ``POST /_sim/checkout/aml-verifications/{id}/resolve {"decision": "approved"|"declined"}`` closes
  an open case (``review_required``) as a ComplyAdvantage reviewer would;
- ``POST /_sim/checkout/aml-verifications/{id}/monitoring-alert {"alerts": 1}`` makes ongoing
  monitoring of a monitored, approved applicant raise new alerts now;
- ``POST /_sim/checkout/aml-verifications/{id}/status {"status": "declined"|"approved"|"review_required"}``
  changes a decided screening afterwards (re-opens its review, or updates its decision).

A scenario that ``wait``s for ``case_resolved`` goes on once any of them changed its screening.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from simulator.control.errors import ControlError, bad_request, json_body, not_found
from simulator.providers.checkout import aml_lifecycle as aml
from simulator.providers.checkout.aml_screenings import CASE_RESOLVED_SIGNAL, KIND, render, transition
from simulator.providers.checkout.state import PROVIDER, State

if TYPE_CHECKING:
    from simulator.simulator import Simulator


def _find_any_tenant(sim: Simulator, screening_id: str) -> tuple[str, dict[str, Any]]:
    for tenant in sim.store.tenants():
        doc = sim.store.get(tenant, PROVIDER, KIND, screening_id)
        if doc is not None:
            return tenant, doc
    raise not_found(f"no AML screening {screening_id}")


async def _control(request: Request, act: Any) -> Response:
    sim: Simulator = request.app.state.sim
    try:
        body = await json_body(request)
        tenant, doc = _find_any_tenant(sim, request.path_params["aml_verification_id"])
        try:
            change = act(doc, body)
        except aml.AmlTransitionError as exc:
            raise ControlError(409, "conflict", str(exc)) from None
        except ValueError as exc:
            raise bad_request(str(exc)) from None
        transition(State(sim, tenant), doc, change)
        if doc.get("_run_id"):
            sim.runner.signal(tenant, PROVIDER, doc["_run_id"], CASE_RESOLVED_SIGNAL)
    except ControlError as exc:
        return exc.response()
    return JSONResponse(render(doc, doc["_base_url"]))


async def resolve_case(request: Request) -> Response:
    """Close the open case: ``{"decision": "approved"}`` or ``{"decision": "declined"}``."""
    return await _control(request, lambda doc, body: aml.resolve_case(doc, body.get("decision", "")))


async def raise_monitoring_alert(request: Request) -> Response:
    """Ongoing monitoring finds new hits now: ``{"alerts": 1}`` (default 1)."""

    def act(doc: dict[str, Any], body: dict[str, Any]) -> aml.Transition:
        alerts = body.get("alerts", 1)
        if not isinstance(alerts, int) or isinstance(alerts, bool) or not 1 <= alerts <= 1000:
            raise ValueError("'alerts' must be a whole number from 1 to 1000")
        return aml.monitoring_alert(doc, alerts)

    return await _control(request, act)


async def update_status(request: Request) -> Response:
    """Change a decided screening afterwards: ``{"status": "review_required"}`` re-opens its review,
    ``{"status": "declined"}`` / ``"approved"`` updates its decision (``aml_verification_status_changed``)."""
    return await _control(request, lambda doc, body: aml.update_status(doc, str(body.get("status", ""))))
