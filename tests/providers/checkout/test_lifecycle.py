"""Each transition of the fact sheet's section 4.3, on the manual clock."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest


def statuses(api, idv_id, attempt_id):
    return api.get_idv(idv_id)["status"], api.get_attempt(idv_id, attempt_id)["status"]


def codes(body):
    return [rc["code"] for rc in body["response_codes"]]


def test_happy_path_step_by_step(api):
    idv = api.idv(scenario="idv-approved")
    assert api.events(idv["id"]) == ["identity_verification_created"]
    attempt = api.attempt(idv["id"])
    assert attempt["status"] == "pending_redirection" and attempt["id"].startswith("iatp_")
    assert api.get_idv(idv["id"])["status"] == "pending"
    api.advance(9)
    assert statuses(api, idv["id"], attempt["id"]) == ("pending", "pending_redirection")
    api.advance(1)
    assert statuses(api, idv["id"], attempt["id"]) == ("capture_in_progress", "capture_in_progress")
    assert api.get_attempt(idv["id"], attempt["id"])["applicant_session_information"]["number_of_sessions"] == 1
    api.advance(60)
    assert statuses(api, idv["id"], attempt["id"]) == ("checks_in_progress", "checks_in_progress")
    api.advance(30)
    assert statuses(api, idv["id"], attempt["id"]) == ("approved", "completed")
    assert codes(api.get_attempt(idv["id"], attempt["id"])) == [10000]
    api.advance(5)
    assert api.events(idv["id"]) == [
        "identity_verification_created",
        "identity_verification_opened",
        "identity_verification_started",
        "identity_verification_capture_completed",
        "identity_verification_checks_completed",
        "identity_verification_report_created",
    ]


def test_declined(api):
    idv = api.idv(scenario="idv-declined-62304")
    attempt = api.attempt(idv["id"])
    api.advance(100)
    done = api.get_idv(idv["id"])
    assert (done["status"], codes(done)) == ("declined", [62304])
    assert done["response_codes"] == [{"code": 62304, "summary": "face_mismatch"}]
    assert api.get_attempt(idv["id"], attempt["id"])["status"] == "completed"


def test_link_expires_after_15_minutes_unopened(api):
    idv = api.idv(scenario="idv-link-expired")
    attempt = api.attempt(idv["id"])
    api.advance(15 * 60 - 1)
    assert statuses(api, idv["id"], attempt["id"]) == ("pending", "pending_redirection")
    api.advance(1)
    assert statuses(api, idv["id"], attempt["id"]) == ("retry_required", "expired")
    assert codes(api.get_idv(idv["id"])) == [61101]
    assert api.events(idv["id"])[-1] == "identity_verification_link_expired"


def test_abort_then_retry_requested_then_approved(api):
    idv = api.idv(scenario="idv-capture-aborted-61203")
    first = api.attempt(idv["id"])
    api.advance(40)
    assert statuses(api, idv["id"], first["id"]) == ("retry_required", "capture_aborted")
    assert codes(api.get_idv(idv["id"])) == [61203]
    second = api.attempt(idv["id"])
    assert api.get_idv(idv["id"])["status"] == "pending"
    assert api.events(idv["id"])[-1] == "identity_verification_retry_requested"
    api.advance(200)
    assert statuses(api, idv["id"], second["id"]) == ("approved", "completed")
    assert api.get_attempt(idv["id"], first["id"])["status"] == "capture_aborted"


def test_checks_inconclusive(api):
    idv = api.idv(scenario="idv-checks-inconclusive-61411")
    attempt = api.attempt(idv["id"])
    api.advance(100)
    assert statuses(api, idv["id"], attempt["id"]) == ("retry_required", "checks_inconclusive")
    assert codes(api.get_idv(idv["id"])) == [61411]
    assert api.events(idv["id"])[-1] == "identity_verification_checks_inconclusive"


def test_refused_is_final(api):
    idv = api.idv(scenario="idv-refused")
    attempt = api.attempt(idv["id"])
    api.advance(30)
    assert statuses(api, idv["id"], attempt["id"]) == ("refused", "capture_refused")
    assert api.get_idv(idv["id"])["response_codes"] == [{"code": 63001, "summary": "applicant_refusal"}]
    body = api.attempt(idv["id"], status=409)
    assert body["error_type"] == "operation_not_allowed"


def test_new_attempt_while_one_is_open_resets(api):
    idv = api.idv(scenario="idv-approved")
    first = api.attempt(idv["id"])
    api.advance(10)
    assert api.get_idv(idv["id"])["status"] == "capture_in_progress"
    second = api.attempt(idv["id"])
    old = api.get_attempt(idv["id"], first["id"])
    assert old["status"] == "terminated" and codes(old) == [64001]
    assert api.get_idv(idv["id"])["status"] == "pending"
    assert api.events(idv["id"])[-1] == "identity_verification_reset"
    api.advance(200)
    assert statuses(api, idv["id"], second["id"]) == ("approved", "completed")


def test_scripted_reset(api):
    idv = api.idv(scenario="idv-reset")
    first = api.attempt(idv["id"])
    api.advance(70)
    attempts = api.call("GET", f"/identity-verifications/{idv['id']}/attempts")["data"]
    assert [a["status"] for a in attempts] == ["pending_redirection", "terminated"]  # newest first
    assert attempts[1]["id"] == first["id"]
    api.advance(200)
    assert api.get_idv(idv["id"])["status"] == "approved"


@pytest.mark.parametrize(
    ("scenario", "final"), [("idv-closed", "retry_required"), ("idv-closed-inconclusive", "inconclusive")]
)
def test_forcibly_closed(api, scenario, final):
    idv = api.idv(scenario=scenario)
    attempt = api.attempt(idv["id"])
    api.advance(130)
    assert statuses(api, idv["id"], attempt["id"]) == (final, "terminated")
    assert api.get_idv(idv["id"])["response_codes"] == [{"code": 64001, "summary": "forcibly_closed"}]
    assert api.events(idv["id"])[-1] == "identity_verification_closed"
    if final == "inconclusive":
        api.attempt(idv["id"], status=409)
    else:
        api.attempt(idv["id"])


@pytest.mark.parametrize("status_from", ["checks_in_progress", "approved"])
def test_attempt_not_allowed_is_409(api, status_from):
    idv = api.idv(scenario="idv-approved")
    api.attempt(idv["id"])
    api.advance(70 if status_from == "checks_in_progress" else 100)
    assert api.get_idv(idv["id"])["status"] == status_from
    body = api.attempt(idv["id"], status=409)
    assert body["error_codes"] == ["identity_verification_status_invalid"]


def test_audit_changes_the_verdict(api):
    idv = api.idv(scenario="idv-audit-declined")
    api.attempt(idv["id"])
    api.advance(200)
    assert api.get_idv(idv["id"])["status"] == "approved"
    api.advance(86400)
    done = api.get_idv(idv["id"])
    assert (done["status"], codes(done)) == ("declined", [62301])
    assert api.events(idv["id"])[-1] == "identity_verification_audit_completed"


def test_anonymize_with_an_open_attempt_closes_it_first(api):
    idv = api.idv(scenario="idv-approved")
    attempt = api.attempt(idv["id"])
    api.advance(10)
    api.call("POST", f"/identity-verifications/{idv['id']}/anonymize")
    assert statuses(api, idv["id"], attempt["id"]) == ("retry_required", "terminated")
    assert api.events(idv["id"])[-2:] == ["identity_verification_closed", "identity_verification_anonymized"]
    api.advance(3600)  # the scenario's remaining steps do not resurrect it
    assert api.get_idv(idv["id"])["status"] == "retry_required"
    assert "applicant_session_information" not in api.get_attempt(idv["id"], attempt["id"])


def test_scripted_anonymize(api):
    idv = api.idv(scenario="idv-anonymized")
    api.attempt(idv["id"])
    api.advance(3600 + 200)
    done = api.get_idv(idv["id"])
    assert done["status"] == "approved" and "declared_data" not in done
    assert api.events(idv["id"])[-1] == "identity_verification_anonymized"


def test_link_expiry_is_a_clock_rule_in_interactive_mode(make_api):
    api = make_api(applicant="interactive")
    idv = api.idv(scenario="idv-approved")
    attempt = api.attempt(idv["id"])
    api.advance(14 * 60)
    assert statuses(api, idv["id"], attempt["id"]) == ("pending", "pending_redirection")  # nobody came
    api.advance(60)
    assert statuses(api, idv["id"], attempt["id"]) == ("retry_required", "expired")


def test_state_survives_a_restart_with_the_sqlite_store(make_api, tmp_path):
    store = f"sqlite:///{tmp_path / 'kycsim.db'}"
    api = make_api(store=store)
    idv = api.idv(scenario="idv-approved")
    attempt = api.attempt(idv["id"])
    api.advance(200)
    before = api.get_idv(idv["id"])
    assert before["status"] == "approved"
    api.client.__exit__(None, None, None)  # one process per file: the first one stops
    again = make_api(store=store)
    assert again.get_idv(idv["id"]) == before
    assert again.get_attempt(idv["id"], attempt["id"])["status"] == "completed"
    assert again.client.get(before["face"]["image_signed_url"]).status_code == 200


def test_a_link_from_before_a_restart_expires_when_it_was_due(make_api, tmp_path):
    store = f"sqlite:///{tmp_path / 'kycsim.db'}"
    api = make_api(store=store, applicant="interactive")  # nobody comes: only the clock rule expires the link
    idv = api.idv(scenario="idv-approved")
    attempt = api.attempt(idv["id"])
    api.advance(10 * 60)
    api.client.__exit__(None, None, None)
    again = make_api(store=store, applicant="interactive")  # the clock carries on: five minutes are left
    again.advance(5 * 60 - 1)
    assert statuses(again, idv["id"], attempt["id"]) == ("pending", "pending_redirection")
    again.advance(1)
    assert statuses(again, idv["id"], attempt["id"]) == ("retry_required", "expired")
    assert again.events(idv["id"]).count("identity_verification_link_expired") == 1


def test_instant_speed_plays_the_scenario_without_expiring_links(make_api):
    api = make_api(speed="instant")
    idv = api.idv(scenario="idv-declined-62201")
    api.attempt(idv["id"])
    api.client.post("/_sim/clock/advance", json={"seconds": 0})
    for _ in range(50):
        if api.get_idv(idv["id"])["status"] == "declined":
            break
        api.advance(0)
    assert api.get_idv(idv["id"])["response_codes"][0]["code"] == 62201


def test_reset_of_a_tenant_forgets_its_links(api, other):
    idv = api.idv()
    attempt = api.attempt(idv["id"])
    other.attempt(other.idv()["id"])
    page = attempt["_links"]["verification_url"]["href"]
    assert api.client.get(page).status_code == 200
    api.client.post("/_sim/reset", json={"tenant": api.key})
    assert api.client.get(page).status_code == 404
    assert len(api.sim.store.list("_links", "checkout", "links")) == 2  # the other tenant's two tokens


def test_the_machinery_serves_upload_products_too(api):
    """IDDV/ADV plug into the same lifecycle: no hosted link, their own first status and event."""
    from simulator.providers.checkout import lifecycle
    from simulator.providers.checkout.products import ID_DOCUMENT_VERIFICATION as IDDV
    from simulator.providers.checkout.state import State

    state = State(api.sim, api.key)
    applicant = api.applicant()
    check = lifecycle.create_check(
        state, IDDV, applicant=applicant, base_url="http://testserver", fields={}, scenario={"name": "iddv-approved"}
    )
    assert check["id"].startswith("iddv_") and "risk_labels" not in check
    step = "quality_checks_in_progress"
    attempt = lifecycle.create_upload_attempt(state, IDDV, check, uploads={}, extra={})
    assert attempt["id"].startswith("datp_") and "_link_token" not in attempt
    assert (check["status"], attempt["status"]) == (step, step)
    assert api.events(check["id"]) == ["id_document_verification_created"]  # an upload has no event


def test_anonymize_removes_the_attempts_phone_number_and_ends_the_scenario(api):
    """Anonymizing removes personal data everywhere, the attempts' phone numbers too (fact sheet 3.1,
    anonymize), and the scenario stops: its later audit never changes the anonymized verdict."""
    idv = api.idv(scenario="idv-audit-declined")
    phone = {"country_code": "+33", "number": "612345678"}
    attempt = api.attempt(idv["id"], phone_number=phone)
    assert attempt["phone_number"] == phone
    api.advance(200)
    assert api.get_idv(idv["id"])["status"] == "approved"
    api.call("POST", f"/identity-verifications/{idv['id']}/anonymize")
    assert "phone_number" not in api.get_attempt(idv["id"], attempt["id"])
    api.advance(3 * 86400)  # past the scripted audit
    assert (api.get_idv(idv["id"])["status"], codes(api.get_idv(idv["id"]))) == ("approved", [10000])
    assert api.events(idv["id"])[-1] == "identity_verification_anonymized"
    runs = api.client.get("/_sim/runs", params={"scenario": "idv-audit-declined"}).json()["data"]
    assert [run["status"] for run in runs] == ["anonymized"]


def test_the_report_link_stays_the_same_when_the_report_is_made_again(make_api, tmp_path):
    """An audit makes a new report; the link a client stored for the first one still is the report's."""
    (tmp_path / "twice.yaml").write_text(
        "name: twice\nprovider: checkout\nproduct: identity_verification\ndescription: report, audit, report\n"
        "steps:\n  - {do: open_link, after: 1s}\n  - {do: complete_capture, after: 1s}\n"
        "  - {do: complete_checks, after: 1s, with: {result: approved}}\n  - {do: create_report, after: 1s}\n"
        "  - {do: audit, after: 1h, with: {result: declined, codes: [62301]}}\n  - {do: create_report, after: 1s}\n"
    )
    api = make_api(scenarios=[str(tmp_path)])
    idv = api.idv(scenario="twice")
    api.attempt(idv["id"])
    api.advance(60)
    first = api.call("GET", f"/identity-verifications/{idv['id']}/pdf-report")
    api.advance(2 * 3600)
    assert api.events(idv["id"])[-2:] == [
        "identity_verification_audit_completed",
        "identity_verification_report_created",
    ]
    assert api.call("GET", f"/identity-verifications/{idv['id']}/pdf-report") == first


def test_the_tenants_next_job_is_the_links_expiry_15_minutes_on(make_api):
    """Nobody plays the applicant (interactive mode): what the tenant waits for is the unopened link's
    expiry, 15 minutes after the attempt (fact sheet 7: the URL expires after 15 min by default)."""
    api = make_api(applicant="interactive")
    idv = api.idv(scenario="idv-approved")
    attempt = api.attempt(idv["id"])
    tenants = api.client.get("/_sim/tenants").json()["data"]
    assert [(t["next_job"], t["next_job_at"]) for t in tenants] == [
        (f"link expiry {attempt['id']}", "2025-01-01T00:15:00Z")
    ]


def test_once_the_script_is_over_a_further_attempt_plays_the_happy_path(make_api, tmp_path):
    """docs/checkout.md: "once a scenario's script is over, further attempts on the same IDV play the
    happy path" - a script that ends in retry_required is not played again."""
    (tmp_path / "aborts.yaml").write_text(
        "name: aborts\nprovider: checkout\nproduct: identity_verification\ndescription: aborts, nothing more\n"
        "steps:\n  - {do: open_link, after: 1s}\n  - {do: abort_capture, after: 1s, with: {code: 61113}}\n"
    )
    api = make_api(scenarios=[str(tmp_path)])
    idv = api.idv(scenario="aborts")
    api.attempt(idv["id"])
    api.advance(60)
    assert (api.get_idv(idv["id"])["status"], codes(api.get_idv(idv["id"]))) == ("retry_required", [61113])
    second = api.attempt(idv["id"])
    api.advance(15)
    assert statuses(api, idv["id"], second["id"]) == ("capture_in_progress", "capture_in_progress")
    third = api.attempt(idv["id"])  # replaces the open one: the happy path plays again on the new one
    api.advance(600)
    assert statuses(api, idv["id"], third["id"]) == ("approved", "completed")
    page = urlsplit(third["_links"]["verification_url"]["href"]).path
    assert api.client.get(f"{page}state").json()["scenario"] == "idv-approved"  # what the page says is playing


def test_the_story_shows_each_change_at_its_virtual_time_and_the_run_of_each_attempt(api):
    # What the dashboard's story shows of a check: its changes with when they happened, and the scenario
    # run of each attempt under an id that names the check and the attempt's number.
    idv = api.idv(scenario="idv-approved")
    api.attempt(idv["id"])
    api.advance(100)
    response = api.client.get(f"/_sim/stories/{idv['id']}")
    assert response.status_code == 200, response.text
    story = response.json()
    (subject,) = story["subjects"]
    assert [(s["at"], s["status"], s["event"]) for s in subject["statuses"]] == [
        ("2025-01-01T00:00:00Z", "created", "identity_verification_created"),
        ("2025-01-01T00:00:00Z", "pending", "identity_verification_opened"),
        ("2025-01-01T00:00:10Z", "capture_in_progress", "identity_verification_started"),
        ("2025-01-01T00:01:10Z", "checks_in_progress", "identity_verification_capture_completed"),
        ("2025-01-01T00:01:40Z", "approved", "identity_verification_checks_completed"),
    ]
    assert [run["id"] for run in story["runs"]] == [f"run_{idv['id']}_1"]
