"""Every bundled FA, IDDV, ADV and AML scenario, played through the API, does what the coverage report claims."""

from __future__ import annotations

import pytest

from simulator.coverage import coverage_report
from simulator.providers.checkout import constants as c
from simulator.providers.checkout import response_codes as rc
from tests.providers.checkout.products_helpers import (
    JPEG,
    PATHS,
    create_aml,
    create_document_check,
    create_fa,
    data_url,
    fa_attempt,
    verified_applicant,
)

PRODUCTS = (c.FA, c.IDDV, c.ADV, c.AML)
UPLOAD_FIELD = {c.IDDV: "document_front", c.ADV: "document"}
KINDS = {
    c.FA: "face_authentications",
    c.IDDV: "id_document_verifications",
    c.ADV: "address_document_verifications",
    c.AML: "aml_verifications",
}


def names(api, product: str) -> list[str]:
    return sorted(s.name for s in api.sim.catalogue.for_product("checkout", product))


def _attempts(api, product: str, check_id: str) -> list[dict]:
    path = "/face-authentications" if product == c.FA else PATHS[product]
    return api.call("GET", f"{path}/{check_id}/attempts?limit=100")["data"]


def _new_attempt(api, product: str, check_id: str) -> None:
    if product == c.FA:
        fa_attempt(api, check_id)
    else:
        body = {UPLOAD_FIELD[product]: data_url(JPEG)}
        headers = {"Authorization": f"Bearer {api.key}"}
        response = api.client.post(f"{PATHS[product]}/{check_id}/attempts", json=body, headers=headers)
        assert response.status_code == 201, response.text


def _play_check(api, product: str, name: str, applicant_id: str) -> dict[str, set]:
    if product == c.FA:
        check = create_fa(api, applicant_id, scenario=name)
    else:
        check = create_document_check(api, product, scenario=name)
    _new_attempt(api, product, check["id"])
    for _ in range(4):
        api.advance(2 * 86400)
        doc = api.sim.store.get(api.key, "checkout", KINDS[product], check["id"])
        if doc["status"] != "retry_required" or len(doc["_attempt_ids"]) > 1:
            break
        _new_attempt(api, product, check["id"])
    api.advance(2 * 86400)
    doc = api.sim.store.get(api.key, "checkout", KINDS[product], check["id"])
    attempts = _attempts(api, product, check["id"])
    return {
        "status": {h["status"] for h in doc["_history"]},
        "attempt_status": {a["status"] for a in attempts}
        | {h["attempt_status"] for h in doc["_history"] if h["attempt_status"]},
        "response_code": {str(code) for h in doc["_history"] for code in h["response_codes"]}
        | {str(rc["code"]) for a in attempts for rc in a["response_codes"]},
        "risk_label": set(doc.get("risk_labels") or ()),
        "event": set(api.events(check["id"])),
    }


def _play_aml(api, name: str, applicant_id: str) -> dict[str, set]:
    screening = create_aml(api, applicant_id, scenario=name, monitored=True)
    api.advance(40 * 86400)
    doc = api.sim.store.get(api.key, "checkout", KINDS[c.AML], screening["id"])
    return {"status": {h["status"] for h in doc["_sim"]["history"]}, "event": set(api.events(screening["id"]))}


@pytest.fixture(scope="module")
def played():
    from starlette.testclient import TestClient

    from tests.providers.checkout.conftest import Api, make_app

    results: dict[str, dict] = {}
    with TestClient(make_app()) as client:
        api = Api(client)
        applicant_id = verified_applicant(api)
        for product in PRODUCTS:
            for name in names(api, product):
                if product == c.AML:
                    results[name] = _play_aml(api, name, applicant_id)
                else:
                    results[name] = _play_check(api, product, name, applicant_id)
    return results


def test_every_scenario_produces_what_it_claims(api, played):
    provider = api.sim.providers["checkout"]
    for name, seen in played.items():
        scenario = api.sim.catalogue.get(name)
        claimed = provider.produces(scenario)
        for category, values in seen.items():
            key = f"{scenario.product}.{category}"
            if key in claimed:
                assert claimed[key] == values, (name, category)
        assert {k.split(".", 1)[1] for k in claimed} <= set(seen), name


def test_every_product_scenario_was_played(api, played):
    for product in PRODUCTS:
        assert set(names(api, product)) <= set(played)
    assert len(played) > 80
    assert played["fa-declined-62321"]["response_code"] == {"62321"}
    assert "address_document_verification_closed" in played["adv-reset"]["event"]
    assert played["aml-declined-prohibited"]["status"] == {"created", "screening_in_progress", "declined"}


def test_coverage_targets_come_from_the_constants_and_nothing_is_missing(api):
    provider = api.sim.providers["checkout"]
    targets = provider.coverage_targets()
    assert targets["face_authentication.status"] == set(c.STATUSES_BY_PRODUCT[c.FA])
    assert targets["face_authentication.attempt_status"] == set(c.HOSTED_ATTEMPT_STATUSES)
    assert targets["face_authentication.response_code"] == {str(code) for code in rc.codes_for(c.FA)}
    assert "62321" in targets["face_authentication.response_code"]
    assert targets["face_authentication.event"] == set(c.FA_EVENTS)
    for product in (c.IDDV, c.ADV):
        assert targets[f"{product}.status"] == set(c.STATUSES_BY_PRODUCT[product])
        assert targets[f"{product}.attempt_status"] == set(c.UPLOAD_ATTEMPT_STATUSES)
        assert targets[f"{product}.event"] == set(c.EVENTS_BY_PRODUCT[product])
        assert targets[f"{product}.response_code"] == {str(code) for code in rc.upload_codes(product)}
    assert targets["address_document_verification.risk_label"] == set(c.RISK_LABELS)
    assert "id_document_verification.risk_label" not in targets
    assert targets["aml_screening.status"] == set(c.STATUSES_BY_PRODUCT[c.AML])
    assert targets["aml_screening.event"] == set(c.AML_EVENTS)
    report = coverage_report(api.sim.catalogue, api.sim.providers)
    assert report["missing"]["checkout"] == {}
