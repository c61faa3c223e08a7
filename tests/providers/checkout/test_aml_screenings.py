"""AML Screening through the API: risk levels, cases resolved by scenario or control API, monitoring."""

from __future__ import annotations

import pytest

from tests.providers.checkout.products_helpers import create_aml, get_aml, verified_applicant


def events(api, aml_id: str) -> list[str]:
    return [t.removeprefix("aml_verification_") for t in api.events(aml_id)]


def resolve(api, aml_id: str, decision: object, status: int = 200) -> dict:
    response = api.client.post(f"/_sim/checkout/aml-verifications/{aml_id}/resolve", json={"decision": decision})
    assert response.status_code == status, response.text
    return response.json()


def test_needs_an_applicant_approved_by_an_identity_verification(api):
    body = create_aml(api, api.applicant()["id"], status=422)
    assert body["error_codes"] == ["applicant_id__not_verified"]
    assert create_aml(api, "aplt_tkoi5db4hryu5cei5vwoabr7we", status=404)["error_codes"] == ["applicant_not_found"]


def test_request_validation(api):
    applicant_id = verified_applicant(api)
    missing = api.call("POST", "/aml-verifications", json={"applicant_id": applicant_id}, status=422)
    assert missing["error_codes"] == ["search_parameters__required"]
    empty = api.call(
        "POST", "/aml-verifications", status=422, json={"applicant_id": applicant_id, "search_parameters": {}}
    )
    assert empty["error_codes"] == ["search_parameters__configuration_identifier__required"]
    assert create_aml(api, applicant_id, monitored="yes", status=422)["error_codes"] == ["monitored__invalid"]


def test_low_risk_without_alerts_is_approved_step_by_step(api):
    screening = create_aml(api, verified_applicant(api))
    assert (screening["status"], screening["monitored"]) == ("created", False)
    assert screening["id"].startswith("amlv_") and "response_codes" not in screening
    api.advance(5)
    assert get_aml(api, screening["id"])["status"] == "screening_in_progress"
    api.advance(60)
    done = get_aml(api, screening["id"])
    assert done["status"] == "approved" and done["modified_on"] > screening["modified_on"]
    assert events(api, screening["id"]) == [
        "created",
        "onboarding_started",
        "onboarding_completed",
    ]


def test_prohibited_is_declined_without_screening(api):
    screening = create_aml(api, verified_applicant(api), scenario="aml-declined-prohibited")
    api.advance(60)
    assert get_aml(api, screening["id"])["status"] == "declined"
    doc = api.sim.store.get(api.key, "checkout", "aml_verifications", screening["id"])
    assert doc["_sim"]["risk_level"] == "PROHIBITED" and doc["_sim"]["screened"] is False
    assert doc["_sim"]["case"] is None


def test_alerts_open_a_case_that_the_control_api_resolves(api):
    screening = create_aml(api, verified_applicant(api), scenario="aml-review-required")
    api.advance(120)
    assert get_aml(api, screening["id"])["status"] == "review_required"
    api.advance(30 * 86400)
    assert get_aml(api, screening["id"])["status"] == "review_required"  # nobody reviews until asked
    assert resolve(api, screening["id"], "maybe", status=400)["error"]["type"] == "invalid_request"
    body = resolve(api, screening["id"], "approved")
    assert body["status"] == "approved" and body["id"] == screening["id"]
    assert get_aml(api, screening["id"])["status"] == "approved"
    assert events(api, screening["id"])[-2:] == ["onboarding_completed", "onboarding_reviewed"]
    conflict = resolve(api, screening["id"], "declined", status=409)
    assert conflict["error"]["type"] == "conflict"
    run = api.sim.runner.get(api.key, "checkout", f"run_{screening['id']}")
    assert run["status"] == "finished"  # the scenario's wait for the resolution is over
    assert resolve(api, "amlv_tkoi5db4hryu5cei5vwoabr7we", "approved", status=404)["error"]["type"] == "not_found"


def test_a_scenario_reviewer_declines_the_case(api):
    screening = create_aml(api, verified_applicant(api), scenario="aml-review-declined")
    api.advance(120)
    assert get_aml(api, screening["id"])["status"] == "review_required"
    api.advance(86400)
    assert get_aml(api, screening["id"])["status"] == "declined"


def test_monitored_applicants_get_a_later_alert_as_the_clock_moves(api):
    applicant_id = verified_applicant(api)
    monitored = create_aml(api, applicant_id, scenario="aml-monitoring-alert", monitored=True)
    unmonitored = create_aml(api, applicant_id, scenario="aml-monitoring-alert", monitored=False)
    api.advance(86400)
    assert get_aml(api, monitored["id"])["status"] == "approved"
    api.advance(30 * 86400)
    assert get_aml(api, monitored["id"])["status"] == "review_required"
    assert get_aml(api, unmonitored["id"])["status"] == "approved"  # not monitored: no alert
    api.advance(2 * 86400)
    assert get_aml(api, monitored["id"])["status"] == "declined"
    assert events(api, monitored["id"])[-2:] == ["monitoring_alert", "monitoring_reviewed"]


def test_control_api_monitoring_alert_then_resolution(api):
    screening = create_aml(api, verified_applicant(api), monitored=True)
    api.advance(120)
    response = api.client.post(f"/_sim/checkout/aml-verifications/{screening['id']}/monitoring-alert", json={})
    assert response.status_code == 200 and response.json()["status"] == "review_required"
    resolve(api, screening["id"], "approved")
    assert events(api, screening["id"])[-2:] == ["monitoring_alert", "monitoring_reviewed"]
    not_monitored = create_aml(api, verified_applicant(api))
    api.advance(120)
    refused = api.client.post(f"/_sim/checkout/aml-verifications/{not_monitored['id']}/monitoring-alert", json={})
    assert refused.status_code == 409 and "not monitored" in refused.json()["error"]["message"]


def test_other_tenants_do_not_see_it(api, other):
    screening = create_aml(api, verified_applicant(api))
    assert other.call("GET", f"/aml-verifications/{screening['id']}", status=404)["error_codes"] == [
        "aml_verification_not_found"
    ]


def test_the_cli_and_python_client_drive_the_control_calls(capsys):
    import json

    import httpx

    from simulator.cli import main
    from simulator.control.client import ControlClient, ControlClientError
    from simulator.server import ThreadedServer
    from simulator.settings import Settings

    with ThreadedServer(Settings(seed=3, speed="manual", start_time="2025-01-01T00:00:00Z")) as server:
        http = httpx.Client(base_url=server.url, headers={"Authorization": "Bearer sk_sbox_cliclicliclicli"})
        applicant = http.post("/applicants", json={}).json()["id"]
        idv = http.post("/identity-verifications", json={"applicant_id": applicant, "declared_data": {"name": "Al Bo"}})
        http.post(f"/identity-verifications/{idv.json()['id']}/attempts", json={"redirect_url": "https://a.example/"})
        client = ControlClient(server.url)
        client.advance(600)
        body = {"applicant_id": applicant, "search_parameters": {"configuration_identifier": "x"}, "monitored": True}
        review = http.post("/aml-verifications", json=body, headers={"X-KycSim-Scenario": "aml-review-required"})
        approved = http.post("/aml-verifications", json=body)
        client.advance(600)
        assert main(["aml", "resolve", review.json()["id"], "declined", "--url", server.url]) == 0
        assert json.loads(capsys.readouterr().out)["status"] == "declined"
        assert client.checkout.aml_monitoring_alert(approved.json()["id"], alerts=2)["status"] == "review_required"
        assert client.checkout.aml_resolve(approved.json()["id"], "approved")["status"] == "approved"
        with pytest.raises(ControlClientError, match="409"):
            client.checkout.aml_resolve(approved.json()["id"], "approved")
        assert main(["aml", "resolve", "amlv_nope", "approved", "--url", server.url]) == 1
        assert main(["aml", "update-status", review.json()["id"], "review_required", "--url", server.url]) == 0
        assert json.loads(capsys.readouterr().out)["status"] == "review_required"
        assert client.checkout.aml_update_status(approved.json()["id"], "declined")["status"] == "declined"
        http.close()


def test_a_decided_screening_changed_afterwards_sends_status_changed(api):
    screening = create_aml(api, verified_applicant(api), scenario="aml-review-reopened")
    api.advance(2 * 3600)
    assert get_aml(api, screening["id"])["status"] == "approved"
    assert "status_changed" not in events(api, screening["id"])  # the first decision is no change
    api.advance(86400)
    assert get_aml(api, screening["id"])["status"] == "review_required"
    api.advance(3600)
    assert get_aml(api, screening["id"])["status"] == "declined"
    assert events(api, screening["id"]) == [
        "created",
        "onboarding_started",
        "onboarding_completed",
        "onboarding_reviewed",
        "status_changed",
        "onboarding_reviewed",
    ]


def test_the_control_api_updates_a_decision(api):
    screening = create_aml(api, verified_applicant(api))
    api.advance(120)
    url = f"/_sim/checkout/aml-verifications/{screening['id']}/status"
    assert api.client.post(url, json={"status": "approved"}).status_code == 409  # approved already
    assert api.client.post(url, json={"status": "maybe"}).status_code == 400
    updated = api.client.post(url, json={"status": "declined"})
    assert updated.status_code == 200 and updated.json()["status"] == "declined"
    assert events(api, screening["id"])[-1] == "status_changed"
    pending = create_aml(api, verified_applicant(api))
    assert (
        api.client.post(
            f"/_sim/checkout/aml-verifications/{pending['id']}/status", json={"status": "declined"}
        ).status_code
        == 409
    )
