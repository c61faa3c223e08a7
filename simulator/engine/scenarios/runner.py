"""Plays a scenario: each step becomes a job on the scheduler, fired in order.

A run is a small persisted document (``kind = "_runs"`` in the store): the scenario name, the
subject it acts on (ids the provider chose), the index of the next step and what it waits
for. Steps fire one after another, each ``after`` seconds after the previous one. A ``wait``
step, or an applicant step in ``interactive`` mode, pauses the run until the provider calls
:meth:`Runner.signal` (the hosted page did it, or a new attempt was created).

A run started with ``handed_off=False`` has no person yet (the client has not handed the flow to
one): its applicant steps wait, whatever the mode, until :meth:`Runner.hand_off`. Either way a
provider reports an applicant step done outside the run (a person on its page, the client's own
API call) with :meth:`Runner.performed`, and the run plays on from there.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

from simulator.engine.clock import Clock, isoformat
from simulator.engine.ids import Ids
from simulator.engine.scenarios.loader import Catalogue
from simulator.engine.scenarios.model import APPLICANT, CURRENT_SCENARIO, Scenario, Step, StepContext, Verb
from simulator.engine.scheduler import Scheduler
from simulator.engine.store import Store, iter_all

log = logging.getLogger("kycsim.runner")
RUNS = "_runs"
AUTO, INTERACTIVE = "auto", "interactive"


class Runner:
    def __init__(
        self,
        *,
        scheduler: Scheduler,
        clock: Clock,
        store: Store,
        ids: Ids,
        catalogue: Catalogue,
        verbs: Mapping[str, Mapping[str, Verb]],
        applicant_mode: str = AUTO,
    ) -> None:
        self.scheduler = scheduler
        self.clock = clock
        self.store = store
        self.ids = ids
        self.catalogue = catalogue
        self.verbs = verbs
        self.applicant_mode = applicant_mode
        # Scenarios built on the fly (sandbox conventions), by run id, with the run's tenant.
        self._overrides: dict[str, tuple[str, Scenario]] = {}
        # Told (tenant, provider, run id) when a run ends: retention counts finished runs.
        self.on_end: Callable[[str, str, str], None] | None = None

    # Public API

    def start(
        self,
        tenant: str,
        scenario: Scenario,
        subject: dict[str, Any],
        *,
        run_id: str | None = None,
        handed_off: bool = True,
    ) -> dict[str, Any]:
        """Begin playing ``scenario`` on ``subject``; returns the run document. ``handed_off=False``:
        no person has the flow yet, so applicant steps wait for :meth:`hand_off`."""
        run: dict[str, Any] = {
            "id": run_id or f"run_{self.ids.base32(16, None)}",
            "scenario": scenario.name,
            "provider": scenario.provider,
            "product": scenario.product,
            "subject": subject,
            "cursor": 0,
            "waiting_for": None,
            "status": "running",
            "started_at": isoformat(self.clock.now(tenant)),
            "started_wall_at": self.clock.wall_now(),
            "history": [],
        }
        if not handed_off:
            run["handed_off"] = False
        self._play(tenant, run, scenario)
        self._save(tenant, run)
        self._schedule_next(tenant, run)
        return run

    def get(self, tenant: str, provider: str, run_id: str) -> dict[str, Any] | None:
        return self.store.get(tenant, provider, RUNS, run_id)

    def scenario_of(self, run: dict[str, Any]) -> Scenario | None:
        override = self._overrides.get(run["id"])
        return override[1] if override is not None else self.catalogue.get(run["scenario"])

    def signal(self, tenant: str, provider: str, run_id: str, name: str) -> bool:
        """Resume a run waiting for ``name``; False if it was not waiting for that."""
        run = self.get(tenant, provider, run_id)
        if run is None or run["status"] != "running" or run["waiting_for"] != name:
            return False
        run["waiting_for"] = None
        run["history"].append(self._moment(tenant, f"signal:{name}"))
        step = self._current_step(run)
        # A wait step is done once signalled; so is an applicant step a person just performed
        # (interactive mode): the provider already made its change before signalling.
        if step is not None and name in (step.wait, step.do):
            run["cursor"] += 1
        self._save(tenant, run)
        self._schedule_next(tenant, run)
        return True

    def hand_off(self, tenant: str, provider: str, run_id: str) -> bool:
        """A person has the flow from now on (the provider's link, token or page): applicant steps may
        play. One the run waits at is scheduled after its delay, counted from now. False if the run
        had a person already (or is unknown)."""
        run = self.get(tenant, provider, run_id)
        if run is None or run.get("handed_off", True):
            return False
        run["handed_off"] = True
        step = self._current_step(run)
        if run["status"] == "running" and step is not None and run["waiting_for"] == step.do:
            run["waiting_for"] = None  # waited for a person only: now plays (or, interactive, waits again)
            self._schedule_next(tenant, run)
        else:
            self._save(tenant, run)
        return True

    def performed(self, tenant: str, provider: str, run_id: str, verb: str) -> bool:
        """The step ``verb`` the run is at was done outside the run (a person on the provider's page, or
        the client's own API call, which made the change already): move past it, void its timer and play
        on from now. False when the run is not at such a step."""
        run = self.get(tenant, provider, run_id)
        step = self._current_step(run) if run is not None else None
        if run is None or run["status"] != "running" or step is None or step.do != verb:
            return False
        run["cursor"] += 1
        run["waiting_for"] = None
        run["generation"] = run.get("generation", 0) + 1  # a timer armed for the step finds it done
        run["history"].append({**self._moment(tenant, verb), "outside": True})  # not played by the run
        self._schedule_next(tenant, run)
        return True

    def waiting_on(self, run: dict[str, Any]) -> str | None:
        """Who can end the run's wait: ``"signal"`` (a ``wait:`` step: the merchant's call, such as a new
        attempt) or ``"person"`` (an applicant step: a person on the hosted flow, or the merchant's own
        call that does the step); None when it does not wait."""
        if not run.get("waiting_for") or run.get("status") != "running":
            return None
        step = self._current_step(run)
        return "signal" if step is not None and step.wait == run["waiting_for"] else "person"

    def replace(self, tenant: str, provider: str, run_id: str, scenario: Scenario) -> dict[str, Any] | None:
        """Switch a run to another scenario from its start (a person chose on the hosted page)."""
        run = self.get(tenant, provider, run_id)
        if run is None:
            return None
        run.update(scenario=scenario.name, cursor=0, waiting_for=None, status="running")
        self._play(tenant, run, scenario)
        run["generation"] = run.get("generation", 0) + 1
        self._save(tenant, run)
        self._schedule_next(tenant, run)
        return run

    def stop(self, tenant: str, provider: str, run_id: str, reason: str = "stopped") -> None:
        run = self.get(tenant, provider, run_id)
        if run is not None and run["status"] == "running":
            run["status"] = reason
            run["generation"] = run.get("generation", 0) + 1
            self._end(tenant, run)

    def forget(self, tenant: str, provider: str, run_id: str) -> None:
        """Drop a run that ended (retention); a running one stays."""
        run = self.get(tenant, provider, run_id)
        if run is not None and run["status"] != "running":
            self.store.delete(tenant, provider, RUNS, run_id)
            self._overrides.pop(run_id, None)

    def reset(self, tenant: str | None = None) -> None:
        """The tenant's runs are gone from the store: so are the scenarios built for them."""
        if tenant is None:
            self._overrides.clear()
        else:
            self._overrides = {k: v for k, v in self._overrides.items() if v[0] != tenant}

    def resume(self, providers: list[str]) -> int:
        """Re-arm the timers of runs persisted by a previous process (SQLite store); returns how many."""
        resumed = 0
        for provider in providers:
            for tenant, run in list(iter_all(self.store, provider, RUNS)):
                self._recover_inline(tenant, run)
                scenario = self.scenario_of(run)
                if run["status"] != "running":
                    if self.on_end is not None:  # retention counts it again (and may forget it now)
                        self.on_end(tenant, provider, run["id"])
                    continue
                if run["waiting_for"] or scenario is None:
                    continue
                if run["cursor"] >= len(scenario.steps) or not run.get("next_step_at"):
                    continue
                due = datetime.fromisoformat(run["next_step_at"].replace("Z", "+00:00"))
                delay = max((due - self.clock.now(tenant)).total_seconds(), 0.0)
                self._arm(tenant, run, scenario.steps[run["cursor"]], delay)
                resumed += 1
        return resumed

    # Private functions

    def _play(self, tenant: str, run: dict[str, Any], scenario: Scenario) -> None:
        """The run plays ``scenario``: one of the catalogue, or one built for its check, which the run keeps
        (no catalogue can give it back after a restart)."""
        if self.catalogue.get(scenario.name) is scenario:
            self._overrides.pop(run["id"], None)
            run.pop("scenario_inline", None)
            run.pop("inline_scenario", None)
        else:
            self._overrides[run["id"]] = (tenant, scenario)
            run["scenario_inline"], run["inline_scenario"] = True, scenario.as_record()

    def _recover_inline(self, tenant: str, run: dict[str, Any]) -> None:
        """A run of a scenario built for its check (after a restart): the scenario comes from the run itself."""
        record = run.get("inline_scenario")
        if run["id"] in self._overrides or not isinstance(record, dict):
            return
        try:
            self._overrides[run["id"]] = (tenant, Scenario.from_record(record))
        except (KeyError, TypeError, ValueError):
            log.warning("run %s: its scenario %r cannot be read back; it stops here", run["id"], run.get("scenario"))

    def _current_step(self, run: dict[str, Any]) -> Step | None:
        scenario = self.scenario_of(run)
        return scenario.steps[run["cursor"]] if scenario and run["cursor"] < len(scenario.steps) else None

    def _moment(self, tenant: str, step: str) -> dict[str, str]:
        """A history entry: the step, when it happened in the tenant's virtual time and in real time."""
        return {"at": isoformat(self.clock.now(tenant)), "wall_at": self.clock.wall_now(), "step": step}

    def _save(self, tenant: str, run: dict[str, Any]) -> None:
        self.store.put(tenant, run["provider"], RUNS, run["id"], run)

    def _end(self, tenant: str, run: dict[str, Any]) -> None:
        self._save(tenant, run)
        if self.on_end is not None:
            self.on_end(tenant, run["provider"], run["id"])

    def _schedule_next(self, tenant: str, run: dict[str, Any]) -> None:
        scenario = self.scenario_of(run)
        if scenario is None or run["cursor"] >= len(scenario.steps):
            run["status"] = "finished" if scenario else "missing_scenario"
            self._end(tenant, run)
            return
        step = scenario.steps[run["cursor"]]
        if step.wait:
            run["waiting_for"] = step.wait
            self._save(tenant, run)
            return
        verb = self.verbs.get(run["provider"], {}).get(step.do or "")
        if (
            verb is not None
            and verb.actor == APPLICANT
            and (self.applicant_mode == INTERACTIVE or not run.get("handed_off", True))
        ):
            run["waiting_for"] = step.do  # a person performs it (on the hosted page), once they have the flow
            self._save(tenant, run)
            return
        run["next_step_at"] = isoformat(self.clock.now(tenant) + timedelta(seconds=step.after))
        self._save(tenant, run)
        self._arm(tenant, run, step, step.after)

    def _arm(self, tenant: str, run: dict[str, Any], step: Step, delay: float) -> None:
        generation = run.get("generation", 0)

        async def fire() -> None:
            await self._fire(tenant, run["provider"], run["id"], generation, step)

        self.scheduler.schedule(delay, fire, tenant=tenant, label=f"{run['scenario']}#{run['cursor']}:{step.label}")

    async def _fire(self, tenant: str, provider: str, run_id: str, generation: int, step: Step) -> None:
        run = self.get(tenant, provider, run_id)
        if run is None or run["status"] != "running" or run.get("generation", 0) != generation:
            return  # reset, replaced or stopped since this step was scheduled
        scenario = self.scenario_of(run)
        if scenario is None or step.do is None:  # a wait step is never armed
            return
        verb = self.verbs[provider][step.do]
        done = self._moment(tenant, step.do)
        # The step is marked done after its effects, in the same write transaction (the scheduler
        # commits once the job returns): a crash before that commit replays the step, never skips it.
        playing = CURRENT_SCENARIO.set(scenario)  # webhooks published by the step apply its chaos
        try:
            await verb.handler(StepContext(tenant=tenant, run=run, step=step, scenario=scenario))
        except Exception:
            log.exception("step %s of scenario %s failed", step.do, scenario.name)
            run["history"].append({**done, "failed": True})
            run["status"] = "failed"
            self._end(tenant, run)
            return
        finally:
            CURRENT_SCENARIO.reset(playing)
        run = self.get(tenant, provider, run_id)
        if run is None:
            return  # the step reset its tenant
        run["history"].append(done)
        if run.get("generation", 0) != generation:  # the step replaced or stopped its own run
            self._save(tenant, run)
            return
        run["cursor"] += 1
        if run["status"] == "running":
            self._schedule_next(tenant, run)
        else:
            self._save(tenant, run)
