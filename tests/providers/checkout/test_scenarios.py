"""Bundled scenarios: they load, they cover every wire value, and they do what they claim."""

from __future__ import annotations

import pytest

from simulator.coverage import coverage_report
from simulator.providers.checkout import constants as c


def test_bundled_checkout_scenarios_load(api):
    catalogue = api.sim.catalogue
    assert not catalogue.errors
    names = {s.name for s in catalogue.for_product("checkout", c.IDV)}
    assert {"idv-approved", "idv-refused", "idv-declined-62304", "idv-capture-aborted-61203"} <= names


def test_nothing_in_the_constants_is_produced_by_no_scenario(api):
    report = coverage_report(api.sim.catalogue, api.sim.providers)
    assert report["missing"]["checkout"] == {}
    targets = api.sim.providers["checkout"].coverage_targets()
    # The targets come from the constants: every IDV status, attempt status, code (deprecated too), label, event.
    assert targets["identity_verification.status"] == set(c.STATUSES_BY_PRODUCT[c.IDV])
    assert {"61205", "61315", "61414", "64001", "63001", "10000"} <= targets["identity_verification.response_code"]
    assert targets["identity_verification.risk_label"] == set(c.RISK_LABELS)
    assert targets["identity_verification.event"] == set(c.IDV_EVENTS)


def scenario_names(api) -> list[str]:
    return sorted(s.name for s in api.sim.catalogue.for_product("checkout", c.IDV))


@pytest.fixture(scope="module")
def played():
    """Play every bundled IDV scenario through the API; what each one really produced."""
    from starlette.testclient import TestClient

    from tests.providers.checkout.conftest import Api, make_app

    results = {}
    with TestClient(make_app()) as client:
        api = Api(client)
        for name in sorted(s.name for s in api.sim.catalogue.for_product("checkout", c.IDV)):
            idv = api.idv(scenario=name)
            api.attempt(idv["id"])
            for _ in range(4):
                api.advance(2 * 86400)
                if api.get_idv(idv["id"])["status"] != "retry_required" or len(_attempts(api, idv["id"])) > 1:
                    break
                api.attempt(idv["id"])
            api.advance(2 * 86400)
            check = api.sim.store.get(api.key, "checkout", "identity_verifications", idv["id"])
            attempts = _attempts(api, idv["id"])
            results[name] = {
                "status": {h["status"] for h in check["_history"]},
                "attempt_status": {a["status"] for a in attempts}
                | {h["attempt_status"] for h in check["_history"] if h["attempt_status"]},
                "response_code": {str(code) for h in check["_history"] for code in h["response_codes"]}
                | {str(rc["code"]) for a in attempts for rc in a["response_codes"]},
                "risk_label": set(check.get("risk_labels") or ()),
                "event": set(api.events(idv["id"])),
            }
    return results


def _attempts(api, idv_id):
    return api.call("GET", f"/identity-verifications/{idv_id}/attempts?limit=100")["data"]


def test_every_scenario_produces_what_it_claims(api, played):
    provider = api.sim.providers["checkout"]
    for name, seen in played.items():
        claimed = provider.produces(api.sim.catalogue.get(name))
        for category in ("status", "attempt_status", "response_code", "risk_label", "event"):
            assert claimed[f"identity_verification.{category}"] == seen[category], (name, category)


def test_every_bundled_scenario_was_played(api, played):
    assert sorted(played) == scenario_names(api)
    assert len(played) > 60
    assert played["idv-approved-risk-label-mcc_not_confident"]["risk_label"] == {"mcc_not_confident"}
    assert "identity_verification_closed" in played["idv-closed"]["event"]
