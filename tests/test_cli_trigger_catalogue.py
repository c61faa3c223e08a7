"""``kycsim trigger`` plays every bundled scenario to its last step, at every kind of clock.

One in-process server per clock; each scenario is triggered in-process with the real providers'
hooks, so the merchant's part (a new attempt, an AML case resolved, the Sumsub hand-off) is played
where a scenario waits for it. Each scenario plays in a tenant of its own, as parallel CI jobs would
(a trigger moves its tenant's clock for the FA and AML prerequisite); at a speed factor they wait in
wall time, so they run side by side.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx

from simulator.cli import main
from simulator.cli_trigger import trigger
from simulator.server import ThreadedServer
from simulator.settings import Settings

START = "2025-01-01T00:00:00Z"
FAST = 0.0001  # the fastest factor kycsim takes: a virtual day is 8.6 s of wall time
LONGEST_AT_FAST = 1.1 * 86400  # longer scenarios (2 of them) run at instant and manual only
WAITS = {"new_attempt": "client  created a new attempt", "case_resolved": "client  resolved the AML case as approved"}


def _server(speed: str | float) -> ThreadedServer:
    return ThreadedServer(Settings(seed=7, speed=speed, start_time=START))


def _nominal(scenario) -> float:
    return sum(step.after for step in scenario.steps if not step.wait)


def _tenant(server: ThreadedServer, provider: str, index: int) -> str:
    """A tenant of its own: a Checkout.com key, or a Sumsub app token registered through the control API."""
    if provider == "checkout":
        return f"sk_sbox_trigger{index:04d}"
    token = f"sbx:trigger{index:04d}.kycsimtrigger"
    httpx.post(f"{server.url}/_sim/sumsub/app-tokens", json={"appToken": token, "secretKey": "s3cret"})
    return token


def _play(server: ThreadedServer, name: str, tenant: str | None = None) -> tuple[int, list[str], list[str]]:
    report: list[str] = []
    progress: list[str] = []
    code = trigger(
        server.url,
        name,
        providers=server.sim.providers,
        tenant=tenant,
        timeout=120,
        out=report.append,
        progress=progress.append,
    )
    return code, report, progress


def _check(server: ThreadedServer, name: str, code: int, report: list[str], progress: list[str]) -> str | None:
    """What is wrong with one trigger's result, or None."""
    scenario = server.sim.catalogue.get(name)
    summary = report[-1] if report else "(no output)"
    if code != 0 or not summary.startswith(("run finished", "run anonymized")):
        return f"{name}: exit {code}: {summary}"
    steps = [line for line in progress if " step " in line]
    if len(steps) < len(scenario.steps):
        return f"{name}: {len(steps)} progress line(s) for {len(scenario.steps)} step(s)"
    for step in scenario.steps:
        if step.wait and not any(WAITS.get(step.wait, "?") in line for line in progress):
            return f"{name}: the trigger did not play {step.wait!r}: {progress}"
    return None


def test_every_bundled_scenario_at_an_instant_clock():
    with _server("instant") as server:
        catalogue = server.sim.catalogue
        names = sorted(catalogue.scenarios)
        assert len(names) > 250
        problems = [
            _check(server, name, *_play(server, name, _tenant(server, catalogue.get(name).provider, i)))
            for i, name in enumerate(names)
        ]
    assert [p for p in problems if p] == []


def test_every_bundled_scenario_at_a_fast_speed_factor():
    with _server(FAST) as server:
        catalogue = server.sim.catalogue
        # The longest first: their wall-time waits overlap the short ones' work.
        names = sorted(
            (n for n, s in catalogue.scenarios.items() if _nominal(s) <= LONGEST_AT_FAST),
            key=lambda n: (-_nominal(catalogue.get(n)), n),
        )
        assert len(catalogue.scenarios) - len(names) <= 2, "more scenarios too long for this test: raise the bound"
        tenants = {n: _tenant(server, catalogue.get(n).provider, i) for i, n in enumerate(names)}
        with ThreadPoolExecutor(8) as pool:  # they mostly wait for the clock: side by side
            results = list(pool.map(lambda n: (n, *_play(server, n, tenants[n])), names))
        problems = [_check(server, *result) for result in results]
    assert [p for p in problems if p] == []


def test_the_first_scenario_of_each_family_at_a_manual_clock():
    with _server("manual") as server:
        families: dict[str, str] = {}
        for name, scenario in sorted(server.sim.catalogue.scenarios.items()):
            families.setdefault(scenario.source, name)
        problems = [
            _check(server, name, *_play(server, name, _tenant(server, server.sim.catalogue.get(name).provider, i)))
            for i, name in enumerate(families.values())
        ]
    assert [p for p in problems if p] == []


def test_the_62304_case_at_speed_0_05_as_the_cli_runs_it(capsys):
    """The issue's case: ``kycsim trigger idv-declined-62304`` printed nothing for minutes and gave up."""
    with _server(0.05) as server:
        assert main(["trigger", "idv-declined-62304", "--url", server.url]) == 0
    captured = capsys.readouterr()
    assert captured.out.rstrip().splitlines()[-1].startswith("run finished after ")
    steps = [line for line in captured.err.splitlines() if " step " in line]
    assert [line.split()[2] for line in steps] == ["1/4", "2/4", "3/4", "4/4"]
    assert "(in about 3s)" in steps[0]  # the next step's wait in wall time: 1 minute at 0.05


def test_timeout_means_wall_seconds_from_the_start():
    import time

    with _server(1) as server:
        began = time.monotonic()
        report: list[str] = []
        code = trigger(
            server.url, "idv-approved", providers=server.sim.providers, timeout=0.5, out=report.append, progress=print
        )
        took = time.monotonic() - began
    assert code == 1 and 0.5 <= took < 5
    assert report[-1].startswith("run still running after ")
    assert "; gave up after --timeout 0.5s of wall time (next: open_link at 2025-01-01T00:00:10" in report[-1]


def test_in_interactive_mode_the_trigger_waits_for_the_person_and_says_where():
    progress: list[str] = []
    report: list[str] = []
    with ThreadedServer(Settings(seed=7, speed="instant", applicant="interactive", start_time=START)) as server:
        code = trigger(
            server.url,
            "idv-approved",
            providers=server.sim.providers,
            timeout=1,
            out=report.append,
            progress=progress.append,
        )
    waiting = [line for line in progress if line.startswith("  waiting for a person to open_link on the hosted page")]
    assert code == 1 and len(waiting) == 1 and f"{server.url}/verify/" in waiting[0], progress
    assert report[-1].startswith("run waiting for open_link after ")
    assert report[-1].endswith("gave up after --timeout 1s of wall time (waits for a person to open_link)")
