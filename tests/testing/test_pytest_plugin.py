"""The pytest plugin registered by the package: a session server and its control client."""

import httpx


def test_the_kycsim_fixture_is_a_running_simulator_with_a_manual_clock(kycsim):
    health = httpx.get(f"{kycsim.url}/_sim/health", timeout=5).json()
    assert health["status"] == "ok" and health["speed"] == "manual"
    before = kycsim.clock()["elapsed_seconds"]
    assert kycsim.advance(90)["elapsed_seconds"] == before + 90


def test_bindings_made_through_the_fixture_are_reset_between_tests(kycsim):
    assert kycsim.bindings() == []
    scenario = kycsim.scenarios()[0]["name"] if kycsim.scenarios() else None
    if scenario:
        kycsim.bind(scenario, {"email": "someone@example.com"})
        assert len(kycsim.bindings()) == 1
