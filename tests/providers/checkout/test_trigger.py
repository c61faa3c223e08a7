"""``kycsim trigger``: the provider makes the calls a client would to start a scenario."""

from __future__ import annotations

import pytest


def test_trigger_creates_applicant_idv_and_attempt(api):
    provider = api.sim.providers["checkout"]
    calls = []
    ids = provider.trigger(api.client, api.sim.catalogue.get("idv-declined-62304"), lambda k, d: calls.append((k, d)))
    idv_id = ids["identity_verification_id"]
    assert [k for k, _ in calls] == [
        "POST /applicants",
        "POST /identity-verifications",
        f"POST /identity-verifications/{idv_id}/attempts",
    ]
    assert all(d["status"] == 201 for _, d in calls)
    assert ids["attempt_id"].startswith("iatp_") and "/verify/" in ids["verification_url"]
    api.advance(200)
    check = api.sim.store.get(ids["tenant"], "checkout", "identity_verifications", ids["identity_verification_id"])
    assert check["status"] == "declined" and check["response_codes"][0]["code"] == 62304


def test_trigger_refuses_products_it_cannot_start(api):
    from simulator.engine.scenarios.model import Scenario

    with pytest.raises(NotImplementedError):
        api.sim.providers["checkout"].trigger(api.client, Scenario("x", "checkout", "aml_screening", "d", ()), print)
