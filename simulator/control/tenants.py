"""Tenants as the control API shows them, and the masked form the dashboard may act with.

A tenant is a credential, so the control API shows it masked (``sk_sbox_…x4e9``, see
``engine/masking.py``). The dashboard never holds a tenant in full, yet it advances a tenant's
clock, resets it, binds a scenario for it: every ``tenant`` the control API takes may be given in
full or as shown, masked (a masked form holds ``…``, which no credential does). A masked form
stands for the one known tenant it masks; none or several is a 400 that says so.

| call | effect |
|---|---|
| `GET /_sim/tenants` | every tenant kycsim holds state for (masked), its clock, verifications and next job |
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from simulator.control.errors import bad_request
from simulator.control.table import ControlOp
from simulator.engine.clock import isoformat
from simulator.engine.masking import mask
from simulator.engine.scenarios.runner import RUNS

ELLIPSIS = "…"


def known(sim: Any) -> list[str]:
    """Every tenant with state: documents, requests in the journal, events, webhook endpoints, bindings. Tenants kycsim
    keeps for itself (``_links``: hosted-page tokens) start with an underscore and are left out."""
    found = dict.fromkeys(sim.store.tenants())
    found.update(dict.fromkeys(sim.journal.tenants()))
    found.update(dict.fromkeys(e.tenant for e in sim.dispatcher.events))
    found.update(dict.fromkeys(e.tenant for e in sim.dispatcher.endpoints.values() if e.tenant))
    found.update(dict.fromkeys(b.tenant for b in sim.bindings.items.values() if b.tenant))
    return [t for t in found if t and not t.startswith("_")]


def resolve(sim: Any, value: str | None) -> str | None:
    """``value`` if it is a credential; the one known tenant it masks if it is a masked form."""
    if value is None or ELLIPSIS not in value:
        return value
    matches = [t for t in known(sim) if mask(t) == value]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise bad_request(f"no tenant shows as {value!r}: give the credential in full (GET /_sim/tenants lists them)")
    raise bad_request(f"{len(matches)} tenants show as {value!r}: give the credential in full")


def query_tenant(request: Request) -> str | None:
    """The ``tenant`` query parameter, resolved (in full or masked); None when absent or empty."""
    return resolve(request.app.state.sim, request.query_params.get("tenant") or None)


def describe(sim: Any, tenant: str) -> dict[str, Any]:
    runs = [run for provider in sim.providers for run in sim.store.list(tenant, provider, RUNS)]
    jobs = sim.scheduler.pending(tenant)
    clock = sim.clock
    return {
        "tenant": mask(tenant),
        "providers": sorted({run["provider"] for run in runs}),
        "verifications": len(runs),
        "running": sum(1 for run in runs if run["status"] == "running"),
        "now": isoformat(clock.now(tenant)),
        "offset_seconds": round(clock.seconds(tenant) - clock.seconds(None), 6),
        "pending_jobs": len(jobs),
        "next_job_at": isoformat(clock.start + timedelta(seconds=jobs[0].due)) if jobs else None,
        "next_job": jobs[0].label if jobs else None,
    }


async def list_tenants(request: Request) -> Response:
    sim = request.app.state.sim
    items = [describe(sim, tenant) for tenant in known(sim)]
    return JSONResponse({"count": len(items), "data": items})


OPERATIONS = [
    ControlOp(
        "GET",
        "/tenants",
        list_tenants,
        "list_tenants",
        "Every tenant kycsim holds state for (masked), its clock, verifications and next job",
        "tenants.response",
    ),
]
