"""Control API routes: a readable table, thin handlers over the simulator's components."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from simulator.control.errors import bad_request, handles_errors, json_body, not_found, optional_str, query_int
from simulator.control.tenants import query_tenant, resolve
from simulator.engine.clock import ClockError
from simulator.engine.durations import parse_duration
from simulator.engine.masking import mask
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


@handles_errors
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


@handles_errors
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
    times = data.get("times")
    if times is not None and (not isinstance(times, int) or isinstance(times, bool) or not 1 <= times <= 1_000_000):
        raise bad_request("'times' must be a whole number from 1 to 1000000 when given")
    tenant = resolve(sim, optional_str(data, "tenant"))
    binding = sim.bindings.add(sim.catalogue.get(name).name, match, tenant, times)
    return JSONResponse({**binding.as_json(), "tenant": mask(binding.tenant)}, status_code=201)


@handles_errors
async def list_bindings(request: Request) -> Response:
    tenant = query_tenant(request)
    items = [
        {**b.as_json(), "tenant": mask(b.tenant)}
        for b in _sim(request).bindings.items.values()
        if not tenant or b.tenant == tenant
    ]
    return JSONResponse({"count": len(items), "data": items})


@handles_errors
async def delete_binding(request: Request) -> Response:
    binding_id = request.path_params["binding_id"]
    if _sim(request).bindings.items.pop(binding_id, None) is None:
        raise not_found(f"no binding {binding_id!r}")
    return Response(status_code=204)


@handles_errors
async def reset(request: Request) -> Response:
    data = await json_body(request)
    tenant = resolve(_sim(request), optional_str(data, "tenant"))
    await _sim(request).reset(tenant)
    return JSONResponse({"reset": mask(tenant) or "all"})


@handles_errors
async def get_clock(request: Request) -> Response:
    tenant = query_tenant(request)
    return JSONResponse({**_sim(request).clock.describe(tenant), "tenant": mask(tenant)})


@handles_errors
async def advance_clock(request: Request) -> Response:
    sim = _sim(request)
    data = await json_body(request, required=True)
    tenant = resolve(sim, optional_str(data, "tenant"))
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
    try:
        seconds = sim.clock.check_move(seconds, tenant)
    except ClockError as exc:
        raise bad_request(str(exc)) from None
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
            raise bad_request(
                "nothing is scheduled" + (" for this tenant" if tenant else "") + ": no next job to move to"
            )
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


@handles_errors
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


def control_routes() -> list[Route]:
    from simulator.control.home import home_routes
    from simulator.control.runs import run_routes
    from simulator.control.stories import story_routes
    from simulator.control.tenants import tenant_routes
    from simulator.control.trigger import trigger_routes
    from simulator.control.webhooks import webhook_routes
    from simulator.dashboard.routes import dashboard_routes

    return [
        *home_routes(),
        *dashboard_routes(),
        Route("/health", health, methods=["GET"], name="sim:health"),
        Route("/scenarios", list_scenarios, methods=["GET"], name="sim:list_scenarios"),
        Route("/scenarios/{name}", get_scenario, methods=["GET"], name="sim:get_scenario"),
        Route("/coverage", coverage, methods=["GET"], name="sim:coverage"),
        Route("/bindings", create_binding, methods=["POST"], name="sim:create_binding"),
        Route("/bindings", list_bindings, methods=["GET"], name="sim:list_bindings"),
        Route("/bindings/{binding_id}", delete_binding, methods=["DELETE"], name="sim:delete_binding"),
        Route("/reset", reset, methods=["POST"], name="sim:reset"),
        Route("/clock", get_clock, methods=["GET"], name="sim:get_clock"),
        Route("/clock/advance", advance_clock, methods=["POST"], name="sim:advance_clock"),
        *webhook_routes(),
        *run_routes(),
        *story_routes(),
        *tenant_routes(),
        *trigger_routes(),
        Route("/requests", list_requests, methods=["GET"], name="sim:list_requests"),
    ]
