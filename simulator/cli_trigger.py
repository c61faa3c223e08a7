"""``kycsim trigger SCENARIO``: run a named scenario end to end and print its timeline.

1. Look the scenario up on the running simulator (``/_sim/scenarios/{name}``).
2. Let its provider make the calls a client would (``Provider.trigger``), with the scenario
   header, on an ``httpx.Client`` pointed at the simulator.
3. Move time until the run finishes: at a ``manual`` clock, ``/_sim/clock/advance`` to each
   next job of the tenant in turn (so every step and webhook fires at its own time); at any
   other speed, wait for the clock to get there by itself.
4. Print what happened, in virtual-time order: calls made, steps (statuses reached), events
   sent and each delivery attempt.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

import httpx

from simulator.control.client import ControlClient, ControlClientError
from simulator.engine.scenarios.model import Scenario, Step

MAX_STEPS = 1000
POLL_SECONDS = 0.1


def scenario_from_detail(detail: Mapping[str, Any]) -> Scenario:
    """A :class:`Scenario` from ``GET /_sim/scenarios/{name}`` (what a provider's ``trigger`` receives)."""
    steps = tuple(
        Step(after=float(s.get("after", 0)), do=s.get("do"), wait=s.get("wait"), args=dict(s.get("with", {})))
        for s in detail.get("steps", [])
    )
    return Scenario(
        name=detail["name"],
        provider=detail["provider"],
        product=detail["product"],
        description=detail.get("description", ""),
        steps=steps,
        aliases=tuple(detail.get("aliases", [])),
        tags=tuple(detail.get("tags", [])),
        params=dict(detail.get("params", {})),
        source=detail.get("source", "<remote>"),
        family=detail.get("family"),
        webhooks=dict(detail.get("webhooks", {})),
    )


class TriggerError(Exception):
    pass


def trigger(
    sim_url: str,
    name: str,
    *,
    providers: Mapping[str, Any] | None = None,
    timeout: float = 120.0,
    max_time: float = 7 * 86400,
    as_json: bool = False,
    out: Callable[[str], None] | None = None,
    token: str | None = None,
) -> int:
    out = out or (lambda text: print(text, flush=True))
    client = ControlClient(sim_url, token=token)
    try:
        report = _run(client, sim_url, name, providers, timeout, max_time)
    except (ControlClientError, TriggerError) as exc:
        out(f"kycsim trigger: {exc}")
        return 1
    finally:
        client.close()
    if as_json:
        out(json.dumps(report, indent=2))
    else:
        for line in render(report):
            out(line)
    return 0 if report["run"]["status"] == "finished" else 1


def _run(
    client: ControlClient,
    sim_url: str,
    name: str,
    providers: Mapping[str, Any] | None,
    timeout: float,
    max_time: float,
) -> dict[str, Any]:
    detail = client.scenario(name)
    speed = client.health()["speed"]
    if providers is None:
        providers = _local_providers()
    provider = providers.get(detail["provider"])
    if provider is None:
        raise TriggerError(f"this kycsim has no provider {detail['provider']!r} to trigger {name!r} with")
    scenario = scenario_from_detail(detail)
    seen_events = {e["id"] for e in client.webhook_events()}
    seen_runs = {r["id"] for r in client.runs()["data"]}
    newest = client.requests(limit=1)
    last_request = newest[0]["id"] if newest else 0
    notes: list[dict[str, Any]] = []

    def record(kind: str, text: Any) -> None:
        notes.append({"kind": kind, "detail": text})

    # The provider's calls carry their own credentials; the control token is for its /_sim calls.
    with httpx.Client(base_url=sim_url, timeout=30.0, headers=client.control_headers) as http:
        try:
            created = provider.trigger(http, scenario, record) or {}
        except NotImplementedError as exc:
            raise TriggerError(str(exc)) from None
        except httpx.HTTPError as exc:
            raise TriggerError(f"a call to {sim_url} failed: {exc}") from None
        except Exception as exc:  # a provider hook that gives up says why; no traceback for a CLI user
            why = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            raise TriggerError(f"{provider.name} could not start {name!r}: {why}") from None
    calls = [r for r in reversed(client.requests(limit=1000)) if r["id"] > last_request]
    tenant = created.get("tenant") or next((r["tenant"] for r in calls if r.get("tenant")), None)
    if tenant is None:
        raise TriggerError(f"{provider.name}.trigger made no call kycsim could tie to a tenant")

    deadline = time.monotonic() + timeout
    run = _follow(client, tenant, scenario.name, seen_runs, speed, deadline, max_time)
    if speed != "manual":
        _settle(client, tenant, seen_events, deadline)
    calls = [r for r in reversed(client.requests(tenant=tenant, limit=1000)) if r["id"] > last_request]
    events = [e for e in client.webhook_events(tenant=tenant) if e["id"] not in seen_events]
    attempts = [a for a in client.webhooks(tenant=tenant) if a["event_id"] in {e["id"] for e in events}]
    return {
        "scenario": detail["name"],
        "provider": detail["provider"],
        "product": detail["product"],
        "url": sim_url,
        "tenant": tenant,
        "speed": speed,
        "created": created,
        "notes": notes,
        "run": run,
        "virtual_seconds": _span(run, client.clock(tenant)["now"]),
        "timeline": _timeline(detail, run, calls, events, attempts),
    }


def _local_providers() -> Mapping[str, Any]:
    """The providers, bound to a local simulator built from this process's settings (env, config file).

    A provider's ``trigger`` may need its settings (Sumsub signs calls with the app token and
    secret); the local simulator reads them from the same ``KYCSIM_*`` variables as the server.
    """
    from simulator.app import build_simulator
    from simulator.settings import SettingsError, load_settings

    try:
        settings = load_settings({"bundled": False, "scenarios": [], "store": "memory"})
    except SettingsError as exc:
        raise TriggerError(str(exc)) from None
    return build_simulator(settings).providers


def _latest_run(client: ControlClient, tenant: str, scenario: str, seen: set[str]) -> dict[str, Any] | None:
    """The run this trigger started: a new one, still running if any is (a provider may start several)."""
    body = client.runs(tenant=tenant, scenario=scenario)
    runs = [r for r in body["data"] if r["id"] not in seen]
    if not runs:
        return None
    run = next((r for r in reversed(runs) if r["status"] == "running"), runs[-1])
    return {**run, "_next": body.get("next_job_in_seconds")}


def _span(run: Mapping[str, Any], now: str) -> float:
    """Virtual seconds from the run's start to its last step (or to now, if it has none)."""
    moments = [run.get("started_at"), *(h["at"] for h in run.get("history", []))]
    moments = [m for m in moments if m] or [now]
    parsed = [datetime.fromisoformat(m.replace("Z", "+00:00")) for m in moments]
    return round((max(parsed) - min(parsed)).total_seconds(), 3)


def _settle(client: ControlClient, tenant: str, seen_events: set[str], deadline: float) -> None:
    """At a running clock: wait until each new event's deliveries are done or waiting for a retry."""
    while time.monotonic() < deadline:
        busy = [
            d
            for d in client.webhook_deliveries(tenant=tenant)
            if d["event_id"] not in seen_events
            and (d["state"] in ("held", "queued") or (d["state"] == "pending" and not _retry_scheduled(d)))
        ]
        if not busy:
            return
        time.sleep(POLL_SECONDS)


def _retry_scheduled(delivery: Mapping[str, Any]) -> bool:
    return bool(delivery["attempts"]) and bool(delivery["attempts"][-1].get("next_retry_at"))


def _follow(
    client: ControlClient, tenant: str, scenario: str, seen: set[str], speed: Any, deadline: float, max_time: float
) -> dict[str, Any]:
    """Move (or wait for) the tenant's clock until the run is over; returns the run."""
    started = client.clock(tenant)["elapsed_seconds"]
    for _ in range(MAX_STEPS):
        run = _latest_run(client, tenant, scenario, seen)
        if run is None:
            raise TriggerError(f"no run of {scenario!r} started for this tenant; did the provider's trigger start it?")
        if run["status"] != "running" or run.get("waiting_for"):
            break
        if speed == "manual":
            step = run["_next"]
            moved = client.clock(tenant)["elapsed_seconds"] - started
            if step is None or moved + step > max_time:
                break
            client.advance(step, tenant=tenant)
        else:
            if time.monotonic() > deadline:
                break
            time.sleep(POLL_SECONDS)  # the clock runs by itself; wall time is what it takes
    if speed == "manual":
        client.advance(0, tenant=tenant)  # deliveries due now go out before we report
    run = _latest_run(client, tenant, scenario, seen) or {}
    run.pop("_next", None)
    return run


def _steps(detail: Mapping[str, Any], run: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The run's history, each step with the arguments the scenario gave it."""
    script = list(detail.get("steps", []))
    cursor, found = 0, []
    for entry in run.get("history", []):
        text = entry["step"]
        while (
            cursor < len(script) and script[cursor].get("do") != text and f"signal:{script[cursor].get('wait')}" != text
        ):
            cursor += 1
        args = script[cursor].get("with", {}) if cursor < len(script) else {}
        cursor += 1
        shown = " ".join(f"{k}={_short(v, 40)}" for k, v in args.items())
        found.append({"at": entry["at"], "kind": "step", "text": _short(f"{text} {shown}".strip(), 160)})
    return found


def _timeline(detail, run, calls, events, attempts) -> list[dict[str, Any]]:
    items = [{"at": r["at"], "kind": "call", "text": f"{r['method']} {r['path']} -> {r['status']}"} for r in calls]
    items += _steps(detail, run)
    items += [{"at": e["created_at"], "kind": "event", "text": f"{e['type']} {e['id']}"} for e in events]
    for a in attempts:
        outcome = a["status_code"] if a["status_code"] is not None else a["error"]
        extra = f" next retry {a['next_retry_at']}" if a.get("next_retry_at") else ""
        chaos = f" [{'; '.join(a['chaos'])}]" if a.get("chaos") else ""
        items.append(
            {
                "at": a["at"],
                "kind": "delivery",
                "text": f"{a['event_type']} -> {a['url']} {outcome} (attempt {a['number']}){extra}{chaos}",
            }
        )
    order = {"call": 0, "step": 1, "event": 2, "delivery": 3}
    return sorted(items, key=lambda i: (i["at"], order[i["kind"]]))


def render(report: Mapping[str, Any]) -> list[str]:
    run = report["run"]
    lines = [
        f"trigger {report['scenario']} ({report['provider']} · {report['product']}) on {report['url']}"
        f" · tenant {report['tenant']} · clock {report['speed']}"
    ]
    if not any(item["kind"] == "call" for item in report["timeline"]):  # the journal missed them: say what we know
        lines += [f"  note     {n['kind']}: {_short(n['detail'])}" for n in report["notes"]]
    lines += [f"  {item['at']}  {item['kind']:<8} {item['text']}" for item in report["timeline"]]
    counts = {kind: sum(1 for i in report["timeline"] if i["kind"] == kind) for kind in ("call", "step", "event")}
    delivered = sum(1 for i in report["timeline"] if i["kind"] == "delivery")
    status = run.get("status", "unknown")
    if run.get("waiting_for"):
        status = f"waiting for {run['waiting_for']} (a person or a signal must do it)"
    lines.append(
        f"run {status} after {report['virtual_seconds']:g}s of virtual time: {counts['call']} call(s),"
        f" {counts['step']} step(s), {counts['event']} event(s), {delivered} delivery attempt(s)"
    )
    return lines


def _short(value: Any, width: int = 120) -> str:
    text = value if isinstance(value, str) else json.dumps(value)
    return text if len(text) <= width else text[: width - 1] + "…"
