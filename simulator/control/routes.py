"""Control API routes: a table of calls (``table.py``), thin handlers over the simulator's components."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from simulator.control.errors import ControlError, bad_request, json_body, not_found, optional_str, query_int
from simulator.control.table import ControlOp, Param
from simulator.control.tenants import query_tenant, resolve
from simulator.engine.clock import MAX_ELAPSED, ClockError
from simulator.engine.durations import parse_duration
from simulator.engine.masking import mask
from simulator.engine.names import whole
from simulator.engine.scenarios.model import Scenario


def _sim(request: Request):
    return request.app.state.sim


async def health(request: Request) -> Response:
    sim = _sim(request)
    return JSONResponse(
        {
            "status": "ok",
            "version": sim.version,
            "seed": sim.settings.seed,
            "speed": sim.clock.speed,
            "applicant": sim.settings.applicant,
            "providers": sorted(sim.providers),
        }
    )


async def list_scenarios(request: Request) -> Response:
    sim = _sim(request)
    provider, product = request.query_params.get("provider"), request.query_params.get("product")
    items = [
        {**s.summary(), "outcome": _outcome(sim, s)}
        for s in sim.catalogue.scenarios.values()
        if (not provider or s.provider == provider) and (not product or s.product == product)
    ]
    groups = {name: list(p.outcome_groups) for name, p in sim.providers.items()}  # the order pickers show them in
    return JSONResponse({"count": len(items), "folders": sim.catalogue.folders, "groups": groups, "data": items})


def _outcome(sim: Any, scenario: Scenario) -> dict[str, Any]:
    """What a scenario picker shows: the outcome group and each code or label with its meaning."""
    outcome = sim.providers[scenario.provider].outcome(scenario)
    codes = [{"code": c.code, "summary": c.summary, "meaning": c.meaning, "text": c.detail} for c in outcome.codes]
    return {"group": outcome.group, "codes": codes}


async def get_scenario(request: Request) -> Response:
    sim = _sim(request)
    name = request.path_params["name"]
    scenario = sim.catalogue.get(name)
    if scenario is None:
        raise not_found(f"{sim.catalogue.unknown_name(name)} (GET /_sim/scenarios lists them)")
    detail = scenario.detail()
    detail["produces"] = {k: sorted(v) for k, v in sim.providers[scenario.provider].produces(scenario).items()}
    return JSONResponse(detail)


async def coverage(request: Request) -> Response:
    from simulator.coverage import coverage_report

    return JSONResponse(coverage_report(_sim(request).catalogue, _sim(request).providers))


async def create_binding(request: Request) -> Response:
    sim = _sim(request)
    data = await json_body(request, required=True)
    name = data.get("scenario")
    if not isinstance(name, str) or sim.catalogue.get(name) is None:
        hint = sim.catalogue.did_you_mean(name) if isinstance(name, str) else ""
        raise bad_request(f"'scenario' must name a scenario in the catalogue, not {name!r}{hint}")
    match = data.get("match", {})
    if not isinstance(match, dict) or len(match) > 20:
        raise bad_request(
            '\'match\' must be an object (up to 20 facts), e.g. {"external_applicant_id": "x"}; {} or none: every'
            " new check of the scenario's product (the tenant's, with 'tenant')"
        )
    if not all(isinstance(v, str | int | float) and not isinstance(v, bool) for v in match.values()):
        raise bad_request("each value of 'match' must be a string or a number")
    times = whole(data.get("times"))
    if times is not None and (not isinstance(times, int) or not 1 <= times <= 1_000_000):
        raise bad_request("'times' must be a whole number from 1 to 1000000 when given")
    tenant = resolve(sim, optional_str(data, "tenant"))
    binding = sim.bindings.add(sim.catalogue.get(name).name, match, tenant, times)
    return JSONResponse({**binding.as_json(), "tenant": mask(binding.tenant)}, status_code=201)


async def list_bindings(request: Request) -> Response:
    tenant = query_tenant(request)
    items = [
        {**b.as_json(), "tenant": mask(b.tenant)}
        for b in _sim(request).bindings.items.values()
        if not tenant or b.tenant == tenant
    ]
    return JSONResponse({"count": len(items), "data": items})


async def delete_binding(request: Request) -> Response:
    binding_id = request.path_params["binding_id"]
    if _sim(request).bindings.remove(binding_id) is None:
        raise not_found(f"no binding {binding_id!r}")
    return Response(status_code=204)


async def reset(request: Request) -> Response:
    data = await json_body(request)
    tenant = resolve(_sim(request), optional_str(data, "tenant"))
    await _sim(request).reset(tenant)
    return JSONResponse({"reset": mask(tenant) or "all"})


async def get_clock(request: Request) -> Response:
    tenant = query_tenant(request)
    return JSONResponse({**_sim(request).clock.describe(tenant), "tenant": mask(tenant)})


async def advance_clock(request: Request) -> Response:
    sim = _sim(request)
    data = await json_body(request, required=True)
    tenant = resolve(sim, optional_str(data, "tenant"))
    seconds: object
    if "to" in data:
        seconds = _seconds_to(sim, data["to"], tenant)
    elif "seconds" not in data and "duration" in data:
        try:
            seconds = parse_duration(data["duration"]) if isinstance(data["duration"], str | int | float) else None
        except ValueError as exc:
            raise bad_request(f"'duration': {exc}") from None
    else:
        seconds = data.get("seconds")
    if isinstance(seconds, bool) or not isinstance(seconds, int | float):
        raise bad_request(f"'seconds' must be a number, not {seconds!r}")
    if seconds < 0:
        raise bad_request("'seconds' must be at least 0: the clock cannot go backwards")
    if seconds > MAX_ELAPSED:
        raise bad_request(f"'seconds' must be at most {MAX_ELAPSED} (100 years, the clock's whole range)")
    try:
        seconds = sim.clock.check_move(seconds, tenant)
    except ClockError as exc:  # a number, but more than the clock's range has left: the state says no
        raise ControlError(409, "conflict", str(exc)) from None
    fired = await sim.scheduler.advance(seconds, tenant)
    await sim.dispatcher.drain()
    return JSONResponse({**sim.clock.describe(tenant), "tenant": mask(tenant), "fired": fired})


def _seconds_to(sim: Any, to: object, tenant: str | None) -> float:
    """How far to move ``tenant``'s clock to reach ``to``: a virtual time (ISO 8601), or ``"next"``, the
    tenant's next scheduled job (a scenario step or a webhook retry)."""
    now = sim.clock.seconds(tenant)
    if to == "next":
        jobs = sim.scheduler.pending(tenant)
        if not jobs:
            message = "nothing is scheduled" + (" for this tenant" if tenant else "") + ": no next job to move to"
            raise ControlError(409, "conflict", message)
        return max(jobs[0].due - now, 0.0)
    if not isinstance(to, str) or len(to) > 64:
        raise bad_request(f"'to' must be \"next\" or a time in ISO 8601, not {to!r}")
    try:
        moment = datetime.fromisoformat(to.replace("Z", "+00:00"))
    except ValueError:
        raise bad_request(f"'to' must be \"next\" or a time in ISO 8601, not {to!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max((moment - sim.clock.start).total_seconds() - now, 0.0)


async def list_requests(request: Request) -> Response:
    q = request.query_params
    limit = query_int(request, "limit", 100)
    items = _sim(request).journal.query(
        method=q.get("method"),
        path=q.get("path"),
        tenant=query_tenant(request),
        provider=q.get("provider"),
        limit=limit,
    )
    return JSONResponse({"count": len(items), "data": items})


TENANT = Param("tenant", "only this tenant's (a credential, in full or masked as shown)")
PROVIDER = Param("provider", "only this provider's (a scenario's provider name)")
LIMIT = Param("limit", "at most this many, newest first", {"type": "integer", "minimum": 0, "maximum": 100000})

OPERATIONS = [
    ControlOp("GET", "/health", health, "health", "Ready to serve?", "health.response"),
    ControlOp(
        "GET",
        "/scenarios",
        list_scenarios,
        "list_scenarios",
        "The scenario catalogue",
        "scenarios.response",
        query=(PROVIDER, Param("product", "only this product's (identity_verification, applicant, ...)")),
    ),
    ControlOp(
        "GET",
        "/scenarios/{name}",
        get_scenario,
        "get_scenario",
        "One scenario, its steps and what it produces",
        "scenario.response",
        errors=(404,),
    ),
    ControlOp(
        "GET",
        "/coverage",
        coverage,
        "coverage",
        "Every status, code, label and event type, and the scenarios that produce it",
        "coverage.response",
    ),
    ControlOp(
        "POST",
        "/bindings",
        create_binding,
        "create_binding",
        "Bind a scenario ahead of time",
        "common#/$defs/binding",
        status=201,
        request="binding.request",
        body_required=True,
    ),
    ControlOp("GET", "/bindings", list_bindings, "list_bindings", "The bindings", "bindings.response", query=(TENANT,)),
    ControlOp(
        "DELETE",
        "/bindings/{binding_id}",
        delete_binding,
        "delete_binding",
        "Forget a binding",
        None,
        status=204,
        errors=(404,),
    ),
    ControlOp(
        "POST",
        "/reset",
        reset,
        "reset",
        "Forget all state and rewind the clock (or forget one tenant's)",
        "reset.response",
        request="reset.request",
    ),
    ControlOp(
        "GET",
        "/clock",
        get_clock,
        "get_clock",
        "The virtual clock (a tenant's, with tenant)",
        "common#/$defs/clock",
        query=(TENANT,),
    ),
    ControlOp(
        "POST",
        "/clock/advance",
        advance_clock,
        "advance_clock",
        "Move the clock forward, firing every timed step and delivery on the way",
        "clock_advance.response",
        request="clock_advance.request",
        body_required=True,
        errors=(409,),
    ),
    ControlOp(
        "GET",
        "/requests",
        list_requests,
        "list_requests",
        "The request journal, newest first",
        "requests.response",
        query=(
            Param("method", "only this method"),
            Param("path", "only paths starting with this"),
            TENANT,
            PROVIDER,
            LIMIT,
        ),
    ),
]
