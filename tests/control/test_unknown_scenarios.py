"""Unknown scenario names never pass silently: email tags and bindings warn, the header is refused."""

from __future__ import annotations

import warnings

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

import pytest

from simulator.app import create_app
from simulator.providers.sumsub.auth import signature
from simulator.settings import Settings

KEY = {"Authorization": "Bearer sk_sbox_typotypotypotypotypotypotyp"}


@pytest.fixture
def client():
    with TestClient(create_app(Settings(seed=3, speed="manual"))) as client:
        yield client


def test_an_email_tag_naming_no_scenario_warns_on_the_console_and_in_the_journal(client, caplog):
    applicant = client.post("/applicants", json={"email": "ann+idv-aproved@example.com"}, headers=KEY).json()
    idv = {"applicant_id": applicant["id"], "declared_data": {"name": "Ann Lee"}}
    created = client.post("/identity-verifications", json=idv, headers=KEY)
    assert created.status_code == 201  # the real provider takes any email: the check goes on, on the default
    entry = client.get("/_sim/requests", params={"path": "/identity-verifications"}).json()["data"][0]
    assert entry["scenario"] == "idv-approved"
    assert entry["warnings"] == [
        "the email tag +idv-aproved names no scenario (did you mean 'idv-approved', 'iddv-approved' or"
        " 'adv-approved'?); this check follows the default, 'idv-approved'"
    ]
    assert any(r.levelname == "WARNING" and "+idv-aproved" in r.getMessage() for r in caplog.records)
    quiet = client.get("/_sim/requests", params={"path": "/applicants"}).json()["data"][0]
    assert quiet["warnings"] == []


def test_a_sumsub_email_tag_naming_no_scenario_warns_too(client):
    app_token, secret = "sbx:typo.typo", "typo-secret"
    client.post("/_sim/sumsub/app-tokens", json={"appToken": app_token, "secretKey": secret})
    body = b'{"externalUserId": "u1", "email": "bo+red-retry-screenshot@example.com"}'
    path = "/resources/applicants?levelName=basic-kyc-level"
    ts = str(int(__import__("time").time()))
    headers = {
        "X-App-Token": app_token,
        "X-App-Access-Ts": ts,
        "Content-Type": "application/json",
        "X-App-Access-Sig": signature(secret, ts, "POST", path.encode(), body),
    }
    assert client.post(path, content=body, headers=headers).status_code == 201
    entry = client.get("/_sim/requests", params={"tenant": app_token}).json()["data"][0]
    assert "did you mean 'red-retry-screenshots'?" in entry["warnings"][0]


def test_a_binding_naming_no_scenario_is_a_400_with_close_names(client):
    response = client.post("/_sim/bindings", json={"scenario": "idv-declined-62340", "match": {"email": "a@b.c"}})
    assert response.status_code == 400
    assert "did you mean 'idv-declined-62304'" in response.json()["error"]["message"]
    missing = client.get("/_sim/scenarios/idv-aproved")
    assert missing.status_code == 404 and "did you mean 'idv-approved'" in missing.json()["error"]["message"]


def test_the_header_is_refused_on_any_provider_path_before_the_provider_sees_it(client):
    response = client.get("/applicants/aplt_x", headers={**KEY, "X-KycSim-Scenario": "totally-unknown"})
    assert response.status_code == 400
    assert response.json()["error"] == {
        "type": "unknown_scenario",
        "message": "X-KycSim-Scenario: no scenario named 'totally-unknown' (GET /_sim/scenarios lists them)",
        "close_names": [],
    }
    known = client.get("/applicants/aplt_x", headers={**KEY, "X-KycSim-Scenario": "approved"})  # an alias
    assert known.status_code == 404
