"""``GET /_sim/runs``: scenario runs and when the next job of a tenant falls due (``kycsim trigger`` reads it)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from simulator.control.table import ControlOp, Param
from simulator.control.tenants import query_tenant
from simulator.engine.masking import mask
from simulator.engine.scenarios.runner import RUNS


async def list_runs(request: Request) -> Response:
    sim = request.app.state.sim
    q = request.query_params
    tenant = query_tenant(request)
    tenants = [tenant] if tenant else sim.store.tenants()
    items = [
        {"tenant": mask(t), **run, "waiting_on": sim.runner.waiting_on(run)}
        for t in tenants
        for name in sim.providers
        if not q.get("provider") or name == q["provider"]
        for run in sim.store.list(t, name, RUNS)
        if (not q.get("scenario") or run.get("scenario") == q["scenario"]) and (not q.get("id") or run["id"] == q["id"])
    ]
    body = {"count": len(items), "data": items}
    if tenant:
        jobs = sim.scheduler.pending(tenant)
        now = sim.clock.seconds(tenant)
        body["next_job_in_seconds"] = round(max(jobs[0].due - now, 0.0), 6) if jobs else None
        body["pending_jobs"] = len(jobs)
    return JSONResponse(body)


OPERATIONS = [
    ControlOp(
        "GET",
        "/runs",
        list_runs,
        "list_runs",
        "Scenario runs: which scenario each check follows, what it waits for, when its next step is due",
        "runs.response",
        query=(
            Param("tenant", "only this tenant's; adds next_job_in_seconds and pending_jobs"),
            Param("provider", "only this provider's"),
            Param("scenario", "only runs of this scenario"),
            Param("id", "only this run"),
        ),
    )
]
