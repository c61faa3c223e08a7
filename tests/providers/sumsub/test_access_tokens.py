"""Access tokens and WebSDK links (current and legacy), and the hosted page they lead to."""

from __future__ import annotations

import re

import pytest
from starlette.testclient import TestClient

from simulator.app import create_app
from tests.providers.sumsub.conftest import Flow, Signed, sumsub_settings
from tests.providers.sumsub.support import assert_error, assert_valid


def test_sdk_access_token(api):
    response = api.post("/resources/accessTokens/sdk", json={"userId": "u-1", "levelName": "basic-kyc-level"})
    body = response.json()
    assert_valid("access_token", body)
    assert body["userId"] == "u-1" and re.fullmatch(r"_act-sbx-[0-9a-f-]{36}", body["token"])
    assert_error(api.post("/resources/accessTokens/sdk", json={"userId": "u-1"}), 400)


def test_legacy_access_token_in_the_query(api):
    response = api.post("/resources/accessTokens?userId=u-2&levelName=basic-kyc-level&ttlInSecs=600")
    assert response.status_code == 200 and response.json()["userId"] == "u-2"
    assert_error(api.post("/resources/accessTokens?levelName=x"), 400)


def test_the_access_token_page_creates_the_applicant_and_follows_the_review(api, raw, flow, sim):
    token = api.post("/resources/accessTokens/sdk", json={"userId": "page-user", "levelName": "basic-kyc-level"})
    page = raw.get(f"/websdk/t/{token.json()['token']}")
    assert page.status_code == 200 and "page-user" in page.text and "init" in page.text
    applicant = api.get("/resources/applicants/-;externalUserId=page-user/one").json()
    assert applicant["applicantPlatform"] == "Web"
    flow.advance(60)
    assert "completed" in raw.get(f"/websdk/t/{token.json()['token']}").text


def test_a_current_websdk_link_for_an_action_level_creates_the_action(api, raw, flow):
    applicant = flow.applicant(externalUserId="link-user")
    body = {"levelName": "selfie-action-level", "userId": "link-user", "externalActionId": "act-1", "ttlInSecs": 900}
    url = api.post("/resources/sdkIntegrations/levels/-/websdkLink", json=body).json()["url"]
    assert_valid("websdk_link", {"url": url})
    path = url.split("testserver", 1)[1]
    assert re.fullmatch(r"/websdk/p/sbx_[A-Za-z0-9]{16}", path)
    assert raw.get(path).status_code == 200
    actions = api.get(f"/resources/applicantActions/-;applicantId={applicant['id']}").json()["items"]
    assert [a["externalActionId"] for a in actions] == ["act-1"] and actions[0]["type"] == "selfieAuth"


def test_a_legacy_link_forwards_its_fragment_to_the_page(api, raw):
    response = api.post(
        "/resources/sdkIntegrations/levels/basic-kyc-level/websdkLink?ttlInSecs=1800&externalUserId=old"
    )
    url = response.json()["url"]
    assert "/idensic/l/#/sbx_" in url
    forward = raw.get("/idensic/l/")
    assert forward.status_code == 200 and "location.replace" in forward.text
    link_id = url.rsplit("/", 1)[1]
    assert "old" in raw.get(f"/websdk/p/{link_id}").text


def test_unknown_and_expired_links(api, raw, flow):
    assert raw.get("/websdk/p/sbx_nothing").status_code == 404
    body = {"levelName": "basic-kyc-level", "userId": "late", "ttlInSecs": 60}
    url = api.post("/resources/sdkIntegrations/levels/-/websdkLink", json=body).json()["url"]
    flow.advance(120)
    assert raw.get(url.split("testserver", 1)[1]).status_code == 410


@pytest.fixture
def interactive():
    with TestClient(create_app(sumsub_settings(applicant="interactive"))) as client:
        yield client


def test_interactive_mode_waits_for_the_person_to_submit_on_the_page(interactive):
    api = Signed(interactive)
    flow = Flow(api)
    body = {"userId": "person", "levelName": "basic-kyc-level", "ttlInSecs": 7200}
    token = api.post("/resources/accessTokens/sdk", json=body)
    page_path = f"/websdk/t/{token.json()['token']}"
    page = interactive.get(page_path)
    assert "Submit verification" in page.text and "<select" in page.text
    chosen = interactive.post(f"{page_path}/scenario", data={"scenario": "red-retry-screenshots"})
    assert chosen.status_code == 200  # redirected back to the page
    flow.advance(3600)
    applicant = api.get("/resources/applicants/-;externalUserId=person/one").json()
    assert applicant["review"]["reviewStatus"] == "init"  # nobody submitted yet
    assert interactive.post(f"{page_path}/submit").status_code == 200
    flow.advance(60)
    status = api.get(f"/resources/applicants/{applicant['id']}/status").json()
    assert status["reviewStatus"] == "completed" and status["reviewResult"]["rejectLabels"] == ["SCREENSHOTS"]


def test_interactive_mode_submission_through_the_control_api(interactive):
    api = Signed(interactive)
    flow = Flow(api)
    applicant = flow.applicant()
    flow.advance(600)
    assert api.get(f"/resources/applicants/{applicant['id']}/status").json()["reviewStatus"] == "init"
    answer = interactive.post("/_sim/sumsub/submit", json={"applicantId": applicant["id"]}).json()
    assert answer == {"submitted": True, "reviewStatus": "pending"}
    flow.advance(60)
    assert api.get(f"/resources/applicants/{applicant['id']}/status").json()["reviewStatus"] == "completed"


def test_api_health_needs_no_signature(raw):
    assert raw.get("/resources/status/api").json() == {"ok": 1}


def test_an_expired_token_cannot_submit(interactive):
    api = Signed(interactive)
    token = api.post("/resources/accessTokens/sdk", json={"userId": "late", "levelName": "l", "ttlInSecs": 60})
    page_path = f"/websdk/t/{token.json()['token']}"
    assert interactive.get(page_path).status_code == 200
    Flow(api).advance(61)
    assert interactive.post(f"{page_path}/submit").status_code == 410
