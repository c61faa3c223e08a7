"""When Sumsub applicants and actions move: only when the client requests the check, or hands the flow
to a person (access token, WebSDK link, the page opened), in ``auto`` and ``interactive`` mode alike."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from simulator.app import create_app
from tests.providers.sumsub.conftest import Flow, Signed, sumsub_settings
from tests.providers.sumsub.support import assert_error

HOUR = 3600


def status(api, applicant: dict) -> dict:
    return api.get(f"/resources/applicants/{applicant['id']}/status").json()


def action_of(api, action: dict) -> dict:
    return api.get(f"/resources/applicantActions/{action['id']}/one").json()


def test_an_applicant_made_by_api_stays_init_and_sends_only_applicant_created(api, flow, sim):
    applicant = flow.applicant()
    flow.advance(HOUR)
    review = status(api, applicant)
    assert review["reviewStatus"] == "init" and review["attemptCnt"] == 0
    assert flow.events(sim) == ["applicantCreated"]
    assert sim.scheduler.pending(sim.settings.sumsub_app_token) == []  # no timer runs for it
    one = api.get(f"/resources/applicants/{applicant['id']}/one").json()
    assert "idDocs" not in one.get("info", {})  # nobody took pictures


def test_an_action_made_by_api_stays_init(api, flow, sim):
    applicant = flow.applicant()
    action = flow.action(applicant["id"], "action-payment-method-approved")
    flow.advance(HOUR)
    body = action_of(api, action)
    assert body["review"]["reviewStatus"] == "init" and "images" not in body and "agreement" not in body
    assert flow.events(sim) == ["applicantCreated"]


def test_api_uploads_change_no_status(api, flow, sim):
    applicant = flow.applicant()
    flow.documents(applicant["id"])
    action = flow.action(applicant["id"])
    assert flow.upload(action["id"], "PAYMENT_METHOD", action=True).status_code == 200
    data = {"type": "bankCard", "subType": "VISA"}
    assert api.post(f"/resources/applicantActions/{action['id']}/paymentMethod", json=data).status_code == 200
    flow.advance(HOUR)
    assert status(api, applicant)["reviewStatus"] == "init"
    assert action_of(api, action)["review"]["reviewStatus"] == "init"
    assert flow.events(sim) == ["applicantCreated"]


@pytest.mark.parametrize("speed", ["manual", "instant"])
def test_the_api_only_flow_plays_the_header_scenario_once(speed):
    with TestClient(create_app(sumsub_settings(speed=speed))) as client:
        flow, sim = Flow(Signed(client)), client.app.state.sim
        applicant = flow.applicant("red-retry-bad_selfie")
        flow.advance(20)  # a slow client: nothing happens meanwhile
        flow.documents(applicant["id"])
        flow.request_check(applicant["id"])
        flow.advance(HOUR)
        review = status(flow.client, applicant)
    assert review["reviewStatus"] == "completed" and review["attemptCnt"] == 1
    assert (
        review["reviewResult"]["rejectLabels"] == ["BAD_SELFIE"]
        and review["reviewResult"]["reviewRejectType"] == "RETRY"
    )
    assert flow.events(sim) == ["applicantCreated", "applicantPending", "applicantPrechecked", "applicantReviewed"]


def test_the_request_check_is_the_submission_and_the_scenario_plays_from_it(api, flow, sim):
    applicant = flow.applicant("applicant-approved")
    flow.documents(applicant["id"])
    flow.advance(100)
    flow.request_check(applicant["id"])
    assert status(api, applicant)["reviewStatus"] == "pending"
    flow.advance(5)
    assert status(api, applicant)["reviewStatus"] == "prechecked"  # the step after submit, 5 s after the check
    flow.advance(35)
    review = status(api, applicant)
    assert review["reviewResult"] == {"reviewAnswer": "GREEN"} and review["elapsedSincePendingMs"] == 40_000
    # The review read the uploaded documents, not pictures of its own.
    steps = api.get(f"/resources/applicants/{applicant['id']}/requiredIdDocsStatus").json()
    assert len(steps["IDENTITY"]["imageIds"]) == 1 and len(steps["SELFIE"]["imageIds"]) == 1


def test_an_access_token_hands_off_and_the_person_submits_after_the_scenario_delay(api, flow, sim):
    applicant = flow.applicant()
    flow.advance(100)
    flow.hand_off(applicant)
    flow.advance(9)
    assert status(api, applicant)["reviewStatus"] == "init"  # the submit delay counts from the hand-off
    flow.advance(1)
    assert status(api, applicant)["reviewStatus"] == "pending"
    flow.advance(HOUR)
    assert status(api, applicant)["reviewResult"] == {"reviewAnswer": "GREEN"}
    assert flow.events(sim) == ["applicantCreated", "applicantPending", "applicantPrechecked", "applicantReviewed"]


@pytest.mark.parametrize("how", ["legacy_token", "websdk_link", "legacy_link", "page_opened"])
def test_every_kind_of_hand_off_lets_the_person_play(api, raw, flow, how):
    applicant = flow.applicant()
    user = applicant["externalUserId"]
    if how == "legacy_token":
        assert api.post(f"/resources/accessTokens?userId={user}&levelName=basic-kyc-level").status_code == 200
    elif how == "websdk_link":
        body = {"userId": user, "levelName": "basic-kyc-level"}
        assert api.post("/resources/sdkIntegrations/levels/-/websdkLink", json=body).status_code == 200
    elif how == "legacy_link":
        url = f"/resources/sdkIntegrations/levels/basic-kyc-level/websdkLink?externalUserId={user}"
        assert api.post(url, json={}).status_code == 200
    else:  # a link for no user in particular, opened: the page makes the applicant, with the person on it
        url = api.post("/resources/sdkIntegrations/levels/-/websdkLink", json={"levelName": "basic-kyc-level"})
        assert raw.get(url.json()["url"].split("testserver", 1)[1]).status_code == 200
        sim = raw.app.state.sim
        (applicant,) = [
            a
            for a in sim.store.list(sim.settings.sumsub_app_token, "sumsub", "applicants")
            if a["id"] != applicant["id"]
        ]
    flow.advance(HOUR)
    assert status(api, applicant)["reviewResult"] == {"reviewAnswer": "GREEN"}


def test_a_token_issued_before_the_applicant_exists_hands_it_off_when_created(api, flow):
    assert api.post("/resources/accessTokens/sdk", json={"userId": "early", "levelName": "l"}).status_code == 200
    applicant = flow.applicant(externalUserId="early")
    flow.advance(HOUR)
    assert status(api, applicant)["reviewStatus"] == "completed"


def test_an_expired_grant_hands_nothing_off(api, flow):
    body = {"userId": "late", "levelName": "l", "ttlInSecs": 60}
    assert api.post("/resources/accessTokens/sdk", json=body).status_code == 200
    flow.advance(120)
    applicant = flow.applicant(externalUserId="late")
    flow.advance(HOUR)
    assert status(api, applicant)["reviewStatus"] == "init"


def test_a_payment_method_action_waits_for_its_check_then_follows_its_scenario(api, flow, sim):
    applicant = flow.applicant()
    action = flow.action(applicant["id"], "action-payment-method-declined")
    flow.advance(HOUR)
    assert action_of(api, action)["review"]["reviewStatus"] == "init"
    assert flow.upload(action["id"], "PAYMENT_METHOD", action=True, file_name="card.png").status_code == 200
    pending = api.post(f"/resources/applicantActions/{action['id']}/review/status/pending").json()
    assert pending["review"]["reviewStatus"] == "pending" and pending["review"]["attemptCnt"] == 1
    flow.advance(HOUR)
    body = action_of(api, action)
    assert body["review"]["attemptCnt"] == 1 and body["reviewResult"]["reviewRejectType"] == "FINAL"
    assert body["checks"][0]["checkType"] == "PAYMENT_METHOD" and body["checks"][0]["answer"] == "RED"
    assert len(body["images"]) == 1 and body["images"][0]["imageFileName"] == "card.png"  # the uploaded card
    assert "agreement" not in body  # nobody consented on a WebSDK
    assert flow.events(sim, action["id"]) == ["applicantActionPending", "applicantActionReviewed"]


def test_an_action_token_hands_off_the_action_only(api, flow, sim):
    applicant = flow.applicant()
    action = flow.action(applicant["id"], "action-payment-method-approved")
    flow.hand_off(applicant, action)
    flow.advance(HOUR)
    body = action_of(api, action)
    assert body["reviewResult"] == {"reviewAnswer": "GREEN"}
    assert body["agreement"]["source"] == "WebSDK"  # the person consented on the page
    assert status(api, applicant)["reviewStatus"] == "init"


def test_an_action_link_opened_creates_an_applicant_that_waits(api, raw, sim):
    body = {"userId": "pays-first", "levelName": "payment-method-level", "externalActionId": "pay-1"}
    url = api.post("/resources/sdkIntegrations/levels/-/websdkLink", json=body).json()["url"]
    assert raw.get(url.split("testserver", 1)[1]).status_code == 200
    raw.post("/_sim/clock/advance", json={"seconds": HOUR})
    tenant = sim.settings.sumsub_app_token
    (applicant,) = sim.store.list(tenant, "sumsub", "applicants")
    (action,) = sim.store.list(tenant, "sumsub", "applicant_actions")
    assert applicant["applicantPlatform"] == "Web" and applicant["review"]["reviewStatus"] == "init"
    assert action["review"]["reviewStatus"] == "completed"


def test_a_request_check_after_the_person_submitted_is_refused(api, flow, sim):
    applicant = flow.played_applicant("applicant-pending")
    flow.advance(10)
    assert status(api, applicant)["reviewStatus"] == "pending"
    response = api.post(f"/resources/applicants/{applicant['id']}/status/pending")
    assert "pending" in assert_error(response, 409)["description"]
    flow.advance(HOUR)
    assert flow.events(sim).count("applicantPending") == 1 and status(api, applicant)["attemptCnt"] == 1


def test_a_request_check_before_the_person_submits_is_the_one_submission(api, flow, sim):
    applicant = flow.played_applicant()
    flow.documents(applicant["id"])
    flow.advance(5)
    flow.request_check(applicant["id"])
    flow.advance(HOUR)
    review = status(api, applicant)
    assert review["attemptCnt"] == 1 and review["reviewResult"] == {"reviewAnswer": "GREEN"}
    assert flow.events(sim).count("applicantPending") == 1


# Request check refused as Sumsub refuses it


def test_a_request_check_without_documents_is_409_and_changes_nothing(api, flow, sim):
    applicant = flow.applicant()
    body = assert_error(api.post(f"/resources/applicants/{applicant['id']}/status/pending"), 409)
    assert body["description"] == (
        "Not all required documents or data are submitted. Make sure to complete [IDENTITY, SELFIE]"
        " verification steps beforehand."
    )
    assert "errorCode" not in body
    flow.upload(applicant["id"], "PASSPORT")
    body = assert_error(api.post(f"/resources/applicants/{applicant['id']}/status/pending"), 409)
    assert "[SELFIE]" in body["description"]
    flow.advance(HOUR)
    assert status(api, applicant)["reviewStatus"] == "init" and flow.events(sim) == ["applicantCreated"]


def test_a_double_sided_document_needs_its_back_side(api, flow):
    applicant = flow.applicant()
    flow.upload(applicant["id"], "ID_CARD", idDocSubType="FRONT_SIDE")
    flow.upload(applicant["id"], "SELFIE")
    body = assert_error(api.post(f"/resources/applicants/{applicant['id']}/status/pending"), 409)
    assert "[IDENTITY]" in body["description"]
    flow.upload(applicant["id"], "ID_CARD", idDocSubType="BACK_SIDE")
    flow.request_check(applicant["id"])


def test_an_action_without_its_card_image_is_409(api, flow):
    applicant = flow.applicant()
    action = flow.action(applicant["id"])
    body = assert_error(api.post(f"/resources/applicantActions/{action['id']}/review/status/pending"), 409)
    assert "[PAYMENT_METHODS]" in body["description"]
    crypto = api.post(
        f"/resources/applicantActions/-/forApplicant/{applicant['id']}/cryptoSourceOfFunds",
        json={"externalActionId": "c-1", "currency": "BTC", "direction": "deposit", "address": "bc1q"},
    ).json()
    # A questionnaire step is complete when the action carries its answers.
    assert api.post(f"/resources/applicantActions/{crypto['id']}/review/status/pending").status_code == 200


@pytest.mark.parametrize(("seconds", "state"), [(0, "pending"), (5, "prechecked"), (10, "queued")])
def test_a_request_check_while_in_review_is_refused(api, flow, sim, seconds, state):
    applicant = flow.applicant()
    flow.documents(applicant["id"])
    flow.request_check(applicant["id"])
    flow.advance(seconds)
    assert status(api, applicant)["reviewStatus"] == state
    body = assert_error(api.post(f"/resources/applicants/{applicant['id']}/status/pending"), 409)
    assert f"'{state}'" in body["description"]
    flow.advance(HOUR)
    assert flow.events(sim).count("applicantPending") == 1 and status(api, applicant)["attemptCnt"] == 1


def test_a_final_rejection_stays_final(api, flow, sim):
    applicant = flow.applicant("red-final-forgery")
    flow.documents(applicant["id"])
    flow.request_check(applicant["id"])
    flow.advance(HOUR)
    body = assert_error(api.post(f"/resources/applicants/{applicant['id']}/status/pending"), 409)
    assert "FINAL" in body["description"]
    assert status(api, applicant)["reviewResult"]["reviewRejectType"] == "FINAL"


def test_a_retry_resubmission_by_the_client_is_a_second_attempt(api, flow, sim):
    applicant = flow.applicant("red-retry-bad_selfie")
    flow.documents(applicant["id"])
    flow.request_check(applicant["id"])
    flow.advance(HOUR)
    flow.upload(applicant["id"], "SELFIE", file_name="better-selfie.png")
    flow.request_check(applicant["id"])
    flow.advance(HOUR)
    review = status(api, applicant)
    assert review["attemptCnt"] == 2 and review["reviewResult"] == {"reviewAnswer": "GREEN"}


def test_a_retry_scripted_resubmission_waits_for_a_person_in_the_api_only_flow(api, flow, sim):
    applicant = flow.applicant("applicant-retry-then-approved")
    flow.documents(applicant["id"])
    flow.request_check(applicant["id"])
    flow.advance(HOUR)
    assert status(api, applicant)["reviewResult"]["reviewRejectType"] == "RETRY"  # and nobody resubmits
    flow.hand_off(applicant)  # now the person does
    flow.advance(HOUR)
    review = status(api, applicant)
    assert review["attemptCnt"] == 2 and review["reviewResult"] == {"reviewAnswer": "GREEN"}


# Sandbox calls from any state


def test_test_completed_and_reset_work_before_any_hand_off(api, flow, sim):
    applicant = flow.applicant()
    assert api.post(f"/resources/applicants/{applicant['id']}/reset").json() == {"ok": 1}
    url = f"/resources/applicants/{applicant['id']}/status/testCompleted"
    assert api.post(url, json={"reviewAnswer": "GREEN", "rejectLabels": []}).json() == {"ok": 1}
    review = status(api, applicant)
    assert review["reviewResult"] == {"reviewAnswer": "GREEN"} and review["attemptCnt"] == 1


def test_the_sim_submit_call_works_before_any_hand_off(raw, api, flow, sim):
    applicant = flow.applicant()
    response = raw.post("/_sim/sumsub/submit", json={"applicantId": applicant["id"]})
    assert response.json() == {"submitted": True, "reviewStatus": "pending"}
    flow.advance(HOUR)
    assert status(api, applicant)["reviewResult"] == {"reviewAnswer": "GREEN"}
    assert flow.events(sim).count("applicantPending") == 1


# Interactive mode


@pytest.fixture
def interactive():
    with TestClient(create_app(sumsub_settings(applicant="interactive"))) as client:
        yield client


def test_interactive_mode_waits_for_the_person_after_a_hand_off(interactive):
    flow = Flow(Signed(interactive))
    applicant = flow.played_applicant()
    flow.advance(HOUR)
    assert status(flow.client, applicant)["reviewStatus"] == "init"
    interactive.post("/_sim/sumsub/submit", json={"applicantId": applicant["id"]})
    flow.advance(HOUR)
    assert status(flow.client, applicant)["reviewResult"] == {"reviewAnswer": "GREEN"}


def test_interactive_mode_takes_the_api_only_flow_too(interactive):
    flow = Flow(Signed(interactive))
    applicant = flow.applicant("red-retry-screenshots")
    flow.documents(applicant["id"])
    flow.request_check(applicant["id"])
    flow.advance(HOUR)
    review = status(flow.client, applicant)
    assert review["attemptCnt"] == 1 and review["reviewResult"]["rejectLabels"] == ["SCREENSHOTS"]
