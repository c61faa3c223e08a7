"""Playing the client's part from the dashboard: start a scenario, or make the call a run waits for.

- `POST /_sim/trigger {"scenario": ..., "tenant"?: ...}`: make the calls a client makes to start the
  scenario (``Provider.trigger``, as ``kycsim trigger`` does); answers what they created and the
  story to follow.
- `POST /_sim/runs/{run_id}/resume`: the run waits for the client (a new attempt, an AML case
  resolved): make that call (``Provider.trigger_resume``).

The provider makes real HTTP calls, to this very server, from a worker thread: the same requests
an app would send, in the journal and on the console like any other. They go to the address the
connection came in on, with the ``Host`` the caller used, so links in the answers (a hosted page's
URL) are the ones the caller can open. Unlike ``kycsim trigger``, nothing waits for the run: it plays
at the simulator's speed (at a manual clock, advance it from the story's page).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import httpx
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Scope

from simulator.control.errors import ControlError, bad_request, json_body, not_found, optional_str
from simulator.control.table import ControlOp
from simulator.control.tenants import resolve
from simulator.engine.masking import mask, mask_text
from simulator.engine.scenarios.runner import RUNS
from simulator.web import base_url

CALL_TIMEOUT = 30.0


def _own_url(scope: Scope) -> str:
    """Where this server answers: the local address of the connection the request came in on."""
    server = scope.get("server")
    if not server:
        raise ControlError(503, "unavailable", "this server cannot reach itself (no local address)")
    host = f"[{server[0]}]" if ":" in str(server[0]) else str(server[0])
    return f"http://{host}:{server[1]}"


async def _as_client(
    request: Request, play: Callable[[httpx.Client, Callable[[str, Any], None]], Any]
) -> tuple[Any, list]:
    """Run ``play(http, record)`` in a worker thread with a client on this server; returns its result and
    the calls it recorded. A refused call is a 400 naming it, a failed connection a 502."""
    sim = request.app.state.sim
    calls: list[dict[str, Any]] = []

    def record(kind: str, detail: Any) -> None:
        status = detail.get("status") if isinstance(detail, dict) else None
        calls.append({"call": kind, "status": status})

    headers = {"Host": base_url(request.scope).split("://", 1)[1].split("/", 1)[0]}
    if sim.control_token:
        headers["Authorization"] = f"Bearer {sim.control_token}"  # for the provider's own /_sim calls
    url = _own_url(request.scope)

    def work() -> Any:
        with httpx.Client(base_url=url, headers=headers, timeout=CALL_TIMEOUT) as http:
            return play(http, record)

    try:
        return await asyncio.to_thread(work), calls
    except NotImplementedError as exc:
        raise bad_request(str(exc)) from None
    except httpx.HTTPStatusError as exc:
        answer = mask_text(exc.response.text[:500])
        message = f"{exc.request.method} {exc.request.url.path} answered {exc.response.status_code}: {answer}"
        raise bad_request(message) from None
    except httpx.HTTPError as exc:
        raise ControlError(502, "bad_gateway", f"a call to this server failed: {type(exc).__name__}: {exc}") from None
    except (ValueError, KeyError, LookupError) as exc:  # a provider hook that cannot play it says why
        raise bad_request(f"{type(exc).__name__}: {exc}") from None


async def trigger(request: Request) -> Response:
    sim = request.app.state.sim
    data = await json_body(request, required=True)
    name = optional_str(data, "scenario")
    scenario = sim.catalogue.get(name) if name else None
    if scenario is None:
        hint = sim.catalogue.did_you_mean(name) if name else ""
        raise bad_request(f"'scenario' must name a scenario in the catalogue, not {name!r}{hint}")
    tenant = resolve(sim, optional_str(data, "tenant"))
    provider = sim.providers[scenario.provider]

    def play(http: httpx.Client, record: Callable[[str, Any], None]) -> dict[str, Any]:
        if tenant is None:
            return provider.trigger(http, scenario, record) or {}
        return provider.trigger(http, scenario, record, tenant=tenant) or {}

    created, calls = await _as_client(request, play)
    used = created.get("tenant") or tenant
    ids = {k: v for k, v in created.items() if k != "tenant" and isinstance(v, str)}
    story = _story_of(sim, used, ids.values()) if used else None
    body = {
        "scenario": scenario.name,
        "provider": scenario.provider,
        "product": scenario.product,
        "tenant": mask(used),
        "created": {k: mask_text(v) for k, v in ids.items()},  # a provider may hand back its credential
        "calls": calls,
        "story": story,
    }
    return JSONResponse(body, status_code=201)


def _story_of(sim: Any, tenant: str, ids: Any) -> str | None:
    """The subject id of the newest run that plays one of ``ids`` (what the trigger started)."""
    wanted = set(ids)
    runs = [run for provider in sim.providers for run in sim.store.list(tenant, provider, RUNS)]
    for run in reversed(runs):
        subject = sim.providers[run["provider"]].story(tenant, run, detail=False)
        if subject.id in wanted or wanted & set(subject.ids.values()):
            return subject.id
    return None


async def resume(request: Request) -> Response:
    sim = request.app.state.sim
    run_id = request.path_params["run_id"]
    found = next(
        ((t, run) for t in sim.store.tenants() for p in sim.providers if (run := sim.runner.get(t, p, run_id))),
        None,
    )
    if found is None:
        raise not_found(f"no run {run_id!r}; GET /_sim/runs lists them")
    tenant, run = found
    if run["status"] != "running" or not run.get("waiting_for"):
        raise bad_request(f"run {run_id} waits for nothing (status {run['status']})")
    provider = sim.providers[run["provider"]]
    waited, created, seen = run["waiting_for"], {"tenant": tenant}, dict(run)  # the thread reads a copy
    done, calls = await _as_client(request, lambda http, record: provider.trigger_resume(http, seen, created, record))
    if done is None:
        raise bad_request(
            f"run {run_id} waits for {waited!r}, which is not the client's part: a person on the hosted page does it"
            " (or the provider's control call)"
        )
    return JSONResponse({"run": run_id, "done": done, "calls": calls, "waiting_for": waited})


OPERATIONS = [
    ControlOp(
        "POST",
        "/trigger",
        trigger,
        "trigger",
        "Play a scenario end to end: kycsim makes the client's calls",
        "trigger.response",
        status=201,
        request="trigger.request",
        body_required=True,
        errors=(502,),
    ),
    ControlOp(
        "POST",
        "/runs/{run_id}/resume",
        resume,
        "resume_run",
        "Make the client's call a run waits for (a new attempt, ...)",
        "resume.response",
        request="empty.request",
        errors=(404,),
    ),
]
