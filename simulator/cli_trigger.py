"""``kycsim trigger SCENARIO``: play a named scenario end to end on a running simulator, as a client would.

1. Look the scenario up on the running simulator (``/_sim/scenarios/{name}``).
2. Let its provider make the calls a client would (``Provider.trigger``), with the scenario header,
   on an ``httpx.Client`` pointed at the simulator.
3. Follow the run those calls started (the run whose subject holds one of the ids they returned),
   with a progress line per step:
   - at a ``manual`` clock, ``/_sim/clock/advance`` the tenant to each next job in turn, so every
     step and webhook fires at its own time;
   - at ``instant`` or a speed factor, wait for the clock to get there by itself, for as long as the
     scenario needs (``--timeout`` caps the wall time, when given);
   - where the run waits for the client (a new attempt, an AML case resolved, the flow handed to the
     person), the provider plays that part (``Provider.trigger_resume``).
4. Print what happened (``cli_trigger_report.py``), in virtual-time order: calls made, steps,
   events sent and each delivery attempt. The exit status is 0 once the scenario's last step is done.
"""

from __future__ import annotations

import functools
import json
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from simulator.cli_trigger_report import duration, estimate, numbered_steps, render, span, timeline
from simulator.control.client import ControlClient, ControlClientError
from simulator.engine.scenarios.model import Scenario, Step

MANUAL_MAX_MOVES = 10_000  # clock moves at a manual clock before the trigger says the run never ends
MIN_POLL, MAX_POLL = 0.002, 1.0  # wall seconds between looks at a run whose clock runs by itself
STALL_SECONDS = 10.0  # a running run with nothing scheduled for this long is stuck
SETTLE_SECONDS = 30.0  # at most this long, after the last step, for deliveries in flight


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
    tenant: str | None = None,
    timeout: float | None = None,
    max_time: float = 365 * 86400,
    as_json: bool = False,
    out: Callable[[str], None] | None = None,
    progress: Callable[[str], None] | None = None,
    token: str | None = None,
) -> int:
    """Play ``name``; ``out`` gets the report, ``progress`` a line per step as it happens (default: stderr).

    ``timeout``: wall seconds the whole trigger may take (None: as long as the scenario needs).
    ``max_time``: at a manual clock, how far the trigger may move the tenant's clock.
    """
    out = out or (lambda text: print(text, flush=True))
    progress = progress or (lambda text: print(text, file=sys.stderr, flush=True))
    transport = _transport()
    client = ControlClient(sim_url, transport=transport, token=token)
    try:
        with httpx.Client(base_url=sim_url, timeout=30.0, transport=transport, headers=client.control_headers) as http:
            # The provider's calls carry their own credentials; the control token is for its /_sim calls.
            report = _Trigger(client, http, sim_url, providers, tenant, timeout, max_time, progress).play(name)
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
    return 0 if report["outcome"] == "done" else 1


@functools.cache
def _ssl_context() -> Any:
    import ssl

    return ssl.create_default_context()  # loading the CA bundle costs ~50 ms: once per process


def _transport() -> httpx.HTTPTransport:
    return httpx.HTTPTransport(verify=_ssl_context())


@dataclass
class _Trigger:
    client: ControlClient
    http: httpx.Client
    sim_url: str
    providers: Mapping[str, Any] | None
    tenant: str | None
    timeout: float | None
    max_time: float
    progress: Callable[[str], None]
    notes: list[dict[str, Any]] = field(default_factory=list)
    reported: int = 0  # history entries of the run shown as progress lines
    pause: float = MIN_POLL  # the next wait between looks at the run (it grows while nothing happens)

    def record(self, kind: str, detail: Any) -> None:
        self.notes.append({"kind": kind, "detail": detail})

    def play(self, name: str) -> dict[str, Any]:
        started = time.monotonic()
        self.deadline = None if self.timeout is None else started + self.timeout
        if not name.strip():
            raise TriggerError("name a scenario: `kycsim scenarios list` shows them")
        detail = self.client.scenario(name)
        health = self.client.health()
        self.speed = health["speed"]
        provider = (self.providers if self.providers is not None else _local_providers()).get(detail["provider"])
        if provider is None:
            raise TriggerError(f"this kycsim has no provider {detail['provider']!r} to trigger {name!r} with")
        self.provider, self.detail, self.script = provider, detail, list(detail.get("steps", []))
        scenario = scenario_from_detail(detail)
        newest = self.client.requests(limit=1)
        last_request = newest[0]["id"] if newest else 0
        self.progress(
            f"trigger {detail['name']} ({detail['provider']} · {detail['product']}) on {self.sim_url}"
            f" · clock {self.speed}{estimate(scenario, self.speed)}"
        )
        self.created = self._start(scenario)
        self.tenant = self.created.get("tenant")
        if not self.tenant:  # the control API shows tenants masked: only the hook knows the credential
            raise TriggerError(f"{provider.name}.trigger did not say which tenant it used ('tenant' in its ids)")
        self.ids = {v for v in self.created.values() if isinstance(v, str)}
        run, outcome = self._follow(scenario.name)
        ids = self.ids | {v for v in run.get("subject", {}).values() if isinstance(v, str)}
        events = [e for e in self.client.webhook_events(tenant=self.tenant) if e.get("resource") in ids]
        event_ids = {e["id"] for e in events}
        if self.speed != "manual":
            self._settle(event_ids)
        calls = [r for r in reversed(self.client.requests(tenant=self.tenant, limit=1000)) if r["id"] > last_request]
        attempts = [a for a in self.client.webhooks(tenant=self.tenant) if a["event_id"] in event_ids]
        return {
            "scenario": detail["name"],
            "provider": detail["provider"],
            "product": detail["product"],
            "url": self.sim_url,
            "tenant": self.tenant,
            "speed": self.speed,
            "created": self.created,
            "notes": self.notes,
            "run": run,
            "outcome": outcome,
            "why": self._why(run, outcome),
            "wall_seconds": round(time.monotonic() - started, 3),
            "virtual_seconds": span(run),
            "timeline": timeline(detail, run, calls, events, attempts),
        }

    def _start(self, scenario: Scenario) -> dict[str, Any]:
        try:
            if self.tenant is None:  # a provider hook written before ``tenant`` existed works too
                created = self.provider.trigger(self.http, scenario, self.record)
            else:
                created = self.provider.trigger(self.http, scenario, self.record, tenant=self.tenant)
        except NotImplementedError as exc:
            raise TriggerError(str(exc)) from None
        except httpx.HTTPError as exc:
            raise TriggerError(f"a call to {self.sim_url} failed: {exc}") from None
        except Exception as exc:  # a provider hook that gives up says why; no traceback for a CLI user
            raise TriggerError(f"{self.provider.name} could not start {scenario.name!r}: {_why_exc(exc)}") from None
        return created or {}

    # Following the run

    def _follow(self, scenario: str) -> tuple[dict[str, Any], str]:
        """Move (or wait for) the tenant's clock until the run is over; returns the run and the outcome:
        ``done``, ``waiting`` (for something the trigger cannot do), ``timeout``, ``max_time``, ``stuck``
        or the status the run ended with."""
        run_id: str | None = None
        waiting_shown: str | None = None
        self.moved, self.moves, self.pause = 0.0, 0, MIN_POLL
        self.idle_since: float | None = None
        while True:
            body = self.client.runs(tenant=self.tenant, **({"id": run_id} if run_id else {"scenario": scenario}))
            run = self._our_run(body["data"])
            if run is None:
                raise TriggerError(f"no run of {scenario!r} started; did the provider's trigger start it?")
            run_id = run["id"]
            self._show_steps(run)
            if self._done(run):
                return run, "done"
            if run["status"] != "running":
                return run, run["status"]
            if run.get("waiting_for"):
                did = self._resume(run)
                if did:
                    self.progress(f"  client  {did}")
                    continue
                if not self._person_step(run):
                    return run, "waiting"
                if waiting_shown != run["waiting_for"]:  # a person acts on the hosted page: watch for it
                    waiting_shown = run["waiting_for"]
                    self.progress(f"  waiting for a person to {waiting_shown}{self._where()}")
            if self.deadline is not None and time.monotonic() > self.deadline:
                return run, "timeout"
            stopped = self._move_on(run, body.get("next_job_in_seconds"))
            if stopped:
                return run, stopped

    def _move_on(self, run: Mapping[str, Any], due: float | None) -> str | None:
        """Let time pass until the next job: advance a manual clock to it, or wait for one that runs by
        itself (polling sooner at first, then less often). Returns why the run cannot go on, if so."""
        if self.speed == "manual" and not run.get("waiting_for"):
            if due is None:
                return "stuck"
            if self.moved + due > self.max_time:
                return "max_time"
            self.moves += 1
            if self.moves > MANUAL_MAX_MOVES:
                return "stuck"
            self.client.advance(due, tenant=self.tenant)
            self.moved += due
            return None
        if due is None and not run.get("waiting_for"):  # nothing scheduled: a step is firing right now
            self.idle_since = self.idle_since or time.monotonic()
            if time.monotonic() - self.idle_since > STALL_SECONDS:
                return "stuck"
        else:
            self.idle_since = None
        factor = self.speed if isinstance(self.speed, int | float) else 0.0
        time.sleep(min(max((due or 0.0) * factor, self.pause), MAX_POLL))
        self.pause = min(self.pause * 2, MAX_POLL)
        return None

    def _our_run(self, runs: list[dict[str, Any]]) -> dict[str, Any] | None:
        """The run the trigger's calls started (its subject holds one of their ids); a running one first."""
        ours = [r for r in runs if self.ids & {v for v in r.get("subject", {}).values() if isinstance(v, str)}]
        return next((r for r in reversed(ours) if r["status"] == "running"), ours[-1] if ours else None)

    def _resume(self, run: dict[str, Any]) -> str | None:
        resume = getattr(self.provider, "trigger_resume", None)
        if resume is None:
            return None
        try:
            return resume(self.http, run, self.created, self.record)
        except httpx.HTTPError as exc:
            raise TriggerError(f"a call to {self.sim_url} failed: {exc}") from None
        except Exception as exc:
            raise TriggerError(f"{self.provider.name} could not play {run['waiting_for']!r}: {_why_exc(exc)}") from None

    def _person_step(self, run: Mapping[str, Any]) -> bool:
        """Whether the run waits for a person to perform a step (interactive mode), not for a signal."""
        step = self.script[run["cursor"]] if run["cursor"] < len(self.script) else {}
        return bool(step.get("do")) and step.get("do") == run["waiting_for"] and run.get("handed_off", True)

    def _where(self) -> str:
        url = self.created.get("verification_url")
        return f" on the hosted page {url} (Ctrl-C stops)" if url else " (Ctrl-C stops)"

    def _done(self, run: Mapping[str, Any]) -> bool:
        """Finished, or stopped by its own last step (an ``anonymize`` ends a run as ``anonymized``)."""
        if run["status"] == "finished":
            return True
        history = run.get("history") or []
        last = self.script[-1] if self.script else {}
        return (
            run["status"] not in ("running", "failed")
            and bool(history)
            and not history[-1].get("failed")
            and history[-1]["step"] in (last.get("do"), f"signal:{last.get('wait')}")
        )

    def _show_steps(self, run: Mapping[str, Any]) -> None:
        history = run.get("history") or []
        for index, item in enumerate(numbered_steps(self.detail, run)):
            if index < self.reported:
                continue
            number = f"{item['number']}/{len(self.script)}" if item["number"] else "-"
            failed = " FAILED" if history[index].get("failed") else ""
            self.progress(f"  {item['at']}  step {number:<6} {item['text']}{failed}{self._next(run, index)}")
            self.pause = MIN_POLL  # it moves: look again soon
        self.reported = len(history)

    def _next(self, run: Mapping[str, Any], index: int) -> str:
        """`` · next: <step> at <time>`` after the newest step shown, while the run plays on."""
        if index != len(run.get("history") or []) - 1 or run["status"] != "running":
            return ""
        if run.get("waiting_for"):
            return f" · then waits for {run['waiting_for']}"
        step = self.script[run["cursor"]] if run["cursor"] < len(self.script) else None
        if step is None or not run.get("next_step_at"):
            return ""
        factor = self.speed if isinstance(self.speed, int | float) else None
        wall = f" (in about {duration(float(step.get('after', 0)) * factor)})" if factor else ""
        return f" · next: {step.get('do')} at {run['next_step_at']}{wall}"

    def _settle(self, event_ids: set[str]) -> None:
        """At a running clock: wait until the deliveries of these events are done or waiting for a retry."""
        limit = time.monotonic() + SETTLE_SECONDS
        if self.deadline is not None:
            limit = min(limit, self.deadline)
        while time.monotonic() < limit:
            busy = [
                d
                for d in self.client.webhook_deliveries(tenant=self.tenant)
                if d["event_id"] in event_ids
                and (d["state"] in ("held", "queued") or (d["state"] == "pending" and not _retry_scheduled(d)))
            ]
            if not busy:
                return
            time.sleep(0.01)

    def _why(self, run: Mapping[str, Any], outcome: str) -> str:
        """The summary's reason for an outcome other than ``done``."""
        if outcome == "waiting":
            return "nothing a client does moves it on: a person or a control call must"
        if outcome == "timeout":
            waiting = run.get("waiting_for")
            left = f"waits for a person to {waiting}" if waiting else self._next(run, len(run["history"]) - 1)
            left = f" ({left.strip(' ·')})" if left else ""
            return f"gave up after --timeout {self.timeout:g}s of wall time{left}"
        if outcome == "max_time":
            return f"stopped after --max-time {self.max_time:g}s of virtual time"
        if outcome == "stuck":
            return "nothing is scheduled to move it on"
        return ""


def _local_providers() -> Mapping[str, Any]:
    """The providers, bound to a local simulator built from this process's settings (env, config file).

    A provider's ``trigger`` may need its settings (Sumsub signs calls with the app token and
    secret); the local simulator reads them from the same ``KYCSIM_*`` variables as the server.
    """
    from simulator.settings import SettingsError, load_settings
    from simulator.simulator import build_simulator

    try:
        settings = load_settings({"bundled": False, "scenarios": [], "store": "memory"})
    except SettingsError as exc:
        raise TriggerError(str(exc)) from None
    return build_simulator(settings).providers


def _why_exc(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def _retry_scheduled(delivery: Mapping[str, Any]) -> bool:
    return bool(delivery["attempts"]) and bool(delivery["attempts"][-1].get("next_retry_at"))
