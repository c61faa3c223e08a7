"""Applicants: create, read, status, steps status, request check, reset, testCompleted, and the
review lifecycle a scenario plays on them."""

from __future__ import annotations

import re

from tests.providers.sumsub.support import SumsubAuth, assert_error, assert_valid

CREATED_AT = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")


def test_create_answers_201_with_the_applicant(api, sim):
    response = api.post(
        "/resources/applicants?levelName=basic-kyc-level",
        json={"externalUserId": "u-1", "email": "u1@example.com", "fixedInfo": {"firstName": "Ann", "country": "DEU"}},
    )
    assert response.status_code == 201
    body = response.json()
    assert_valid("applicant", body)
    assert re.fullmatch(r"[0-9a-f]{24}", body["id"]) and re.fullmatch(r"[0-9a-f]{24}", body["inspectionId"])
    assert CREATED_AT.match(body["createdAt"]) and body["createdAt"] == "2025-01-01 00:00:00"
    assert body["review"]["reviewStatus"] == "init" and body["review"]["attemptCnt"] == 0
    assert body["review"]["createDate"] == "2025-01-01 00:00:00+0000"
    assert re.fullmatch(r"[A-Za-z]{5}", body["review"]["reviewId"])
    assert body["fixedInfo"] == {"firstName": "Ann", "country": "DEU"} and body["email"] == "u1@example.com"
    assert [e.type for e in sim.dispatcher.events] == ["applicantCreated"]


def test_same_seed_and_calls_give_the_same_bodies(app, flow):
    from starlette.testclient import TestClient

    from simulator.app import create_app
    from tests.providers.sumsub.conftest import Flow, Signed, sumsub_settings

    first = flow.applicant()
    with TestClient(create_app(sumsub_settings())) as other:
        second = Flow(Signed(other)).applicant()
    assert first == second


def test_a_duplicate_external_user_id_is_409(api, flow):
    first = flow.applicant(externalUserId="dup")
    body = assert_error(api.post("/resources/applicants?levelName=x", json={"externalUserId": "dup"}), 409)
    assert body["description"] == f"Applicant with external user id 'dup' already exists: {first['id']}"


def test_create_needs_a_level_and_an_external_user_id(api):
    assert_error(api.post("/resources/applicants", json={"externalUserId": "x"}), 400)
    assert "externalUserId" in assert_error(api.post("/resources/applicants?levelName=l", json={}), 400)["description"]
    assert_error(api.post("/resources/applicants?levelName=l", content=b"{not json"), 400)


def test_get_by_id_and_by_external_user_id(api, flow):
    created = flow.applicant(externalUserId="ext/with;odd=chars")
    by_id = api.get(f"/resources/applicants/{created['id']}/one")
    assert by_id.status_code == 200 and by_id.json() == created
    by_ext = api.get("/resources/applicants/-;externalUserId=ext%2Fwith%3Bodd%3Dchars/one")
    assert by_ext.status_code == 200, by_ext.text
    assert by_ext.json()["id"] == created["id"]
    assert_error(api.get("/resources/applicants/-;externalUserId=nobody/one"), 404)


def test_ids_that_are_not_object_ids_are_400_and_unknown_ones_404(api):
    assert assert_error(api.get("/resources/applicants/123/one"), 400)["description"] == "Invalid id '123'"
    assert_error(api.get("/resources/applicants/0123456789abcdef01234567/one"), 404)


def test_an_unknown_route_gets_the_sumsub_envelope(api):
    assert_error(api.get("/resources/nothing-here"), 404)


def test_the_default_scenario_walks_every_status_and_sends_its_webhooks(api, flow, sim):
    applicant = flow.played_applicant()
    status_url = f"/resources/applicants/{applicant['id']}/status"
    seen = []
    for seconds in (10, 5, 5, 30):
        flow.advance(seconds)
        status = api.get(status_url).json()
        assert_valid("review", status)
        seen.append(status["reviewStatus"])
    assert seen == ["pending", "prechecked", "queued", "completed"]
    assert status["reviewResult"] == {"reviewAnswer": "GREEN"}
    assert status["attemptCnt"] == 1 and status["elapsedSincePendingMs"] == 40_000
    assert status["elapsedSinceQueuedMs"] == 30_000 and status["reviewDate"] == "2025-01-01 00:00:50+0000"
    assert flow.events(sim, applicant["id"]) == [
        "applicantCreated",
        "applicantPending",
        "applicantPrechecked",
        "applicantReviewed",
    ]
    one = api.get(f"/resources/applicants/{applicant['id']}/one").json()
    assert_valid("applicant", one)
    assert one["info"]["firstName"] and re.fullmatch(r"\d{4}-\d{2}-\d{2}", one["info"]["dob"])


def test_a_red_final_family_member_rejects_with_its_label(api, flow):
    applicant = flow.played_applicant("red-final-forgery")
    flow.advance(60)
    result = api.get(f"/resources/applicants/{applicant['id']}/status").json()["reviewResult"]
    assert result["reviewAnswer"] == "RED" and result["reviewRejectType"] == "FINAL"
    assert result["rejectLabels"] == ["FORGERY"]
    assert result["moderationComment"] and result["clientComment"]


def test_retry_then_approved_makes_a_second_attempt(api, flow):
    applicant = flow.played_applicant("applicant-retry-then-approved")
    flow.advance(45)
    first = api.get(f"/resources/applicants/{applicant['id']}/status").json()
    assert first["reviewResult"]["reviewRejectType"] == "RETRY"
    assert first["reviewResult"]["buttonIds"] == ["badSelfie"]
    flow.advance(300 + 35)
    second = api.get(f"/resources/applicants/{applicant['id']}/status").json()
    assert second["reviewResult"] == {"reviewAnswer": "GREEN"}
    assert second["attemptCnt"] == 2 and second["attemptId"] != first["attemptId"]
    assert second["reviewId"] == first["reviewId"]


def test_a_request_check_after_a_finished_retry_is_a_new_attempt_reviewed_by_the_default(api, flow, sim):
    applicant = flow.played_applicant("red-retry-bad_selfie")
    flow.advance(3600)
    assert api.post(f"/resources/applicants/{applicant['id']}/status/pending").json() == {"ok": 1}
    flow.advance(3600)
    review = api.get(f"/resources/applicants/{applicant['id']}/status").json()
    assert review["attemptCnt"] == 2 and review["reviewResult"] == {"reviewAnswer": "GREEN"}
    events = flow.events(sim, applicant["id"])
    assert events.count("applicantPending") == 2 and events[-1] == "applicantReviewed"


def test_a_scenario_header_for_another_product_is_a_400(api):
    response = api.post(
        "/resources/applicants?levelName=l", json={"externalUserId": "x"}, headers={"X-KycSim-Scenario": "idv-approved"}
    )
    assert "idv-approved" in assert_error(response, 400)["description"]


def test_an_unknown_scenario_header_is_refused_by_kycsim_with_close_names(api):
    headers = {"X-KycSim-Scenario": "red-retry-ok_"}
    response = api.post("/resources/applicants?levelName=l", json={"externalUserId": "x"}, headers=headers)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["type"] == "unknown_scenario" and error["close_names"][0] == "red-retry-ok"


def test_an_email_tag_selects_a_scenario(api, flow):
    applicant = flow.played_applicant(email="someone+red-retry-screenshots@example.com")
    flow.advance(60)
    result = api.get(f"/resources/applicants/{applicant['id']}/status").json()["reviewResult"]
    assert result["rejectLabels"] == ["SCREENSHOTS"]


def test_request_check_moves_to_pending_at_once(api, flow, sim):
    applicant = flow.played_applicant("applicant-pending")  # the simulated person would submit at 10 s
    flow.documents(applicant["id"])
    response = api.post(f"/resources/applicants/{applicant['id']}/status/pending?reason=docs")
    assert response.json() == {"ok": 1}
    assert api.get(f"/resources/applicants/{applicant['id']}/status").json()["reviewStatus"] == "pending"
    flow.advance(30)  # the client's check was the submission: the person's submit step is done
    assert flow.events(sim, applicant["id"]).count("applicantPending") == 1
    assert api.get(f"/resources/applicants/{applicant['id']}/status").json()["attemptCnt"] == 1


def test_required_id_docs_status_lists_uploaded_steps(api, flow):
    applicant = flow.applicant()
    steps = api.get(f"/resources/applicants/{applicant['id']}/requiredIdDocsStatus").json()
    assert steps == {"IDENTITY": None, "SELFIE": None}
    from simulator.providers.sumsub.media import png

    files = {"metadata": (None, '{"idDocType":"PASSPORT","country":"GBR"}'), "content": ("p.png", png(1), "image/png")}
    image_id = api.post(f"/resources/applicants/{applicant['id']}/info/idDoc", files=files).headers["X-Image-Id"]
    flow.hand_off(applicant)
    flow.advance(60)
    steps = api.get(f"/resources/applicants/{applicant['id']}/requiredIdDocsStatus").json()
    assert_valid("required_id_docs_status", steps)
    assert steps["IDENTITY"]["imageIds"] == [int(image_id)]
    assert steps["IDENTITY"]["reviewResult"] == {"reviewAnswer": "GREEN"} and steps["SELFIE"] is None


def test_reset_is_refused_in_review_and_starts_over_otherwise(api, flow, sim):
    applicant = flow.played_applicant()
    flow.advance(10)
    assert_error(api.post(f"/resources/applicants/{applicant['id']}/reset"), 400)
    flow.advance(40)
    assert api.post(f"/resources/applicants/{applicant['id']}/reset").json() == {"ok": 1}
    status = api.get(f"/resources/applicants/{applicant['id']}/status").json()
    assert status["reviewStatus"] == "init" and "reviewResult" not in status
    assert flow.events(sim, applicant["id"])[-1] == "applicantReset"
    flow.advance(50)  # the scenario plays again from its start
    status = api.get(f"/resources/applicants/{applicant['id']}/status").json()
    assert status["reviewStatus"] == "completed" and status["attemptCnt"] == 2


def test_test_completed_finishes_the_review_and_stops_the_scenario(api, flow, sim):
    applicant = flow.applicant("applicant-approved")
    flow.advance(10)
    body = {
        "reviewAnswer": "RED",
        "rejectLabels": ["DOCUMENT_DAMAGED"],
        "reviewRejectType": "RETRY",
        "moderationComment": "Damaged",
        "clientComment": "test",
    }
    response = api.post(f"/resources/applicants/{applicant['id']}/status/testCompleted", json=body)
    assert response.json() == {"ok": 1}
    flow.advance(120)
    status = api.get(f"/resources/applicants/{applicant['id']}/status").json()
    assert status["reviewResult"] == {
        "moderationComment": "Damaged",
        "clientComment": "test",
        "reviewAnswer": "RED",
        "rejectLabels": ["DOCUMENT_DAMAGED"],
        "reviewRejectType": "RETRY",
    }
    assert flow.events(sim, applicant["id"]).count("applicantReviewed") == 1


def test_test_completed_validates_its_body(api, flow):
    applicant = flow.applicant()
    url = f"/resources/applicants/{applicant['id']}/status/testCompleted"
    red = assert_error(api.post(url, json={"reviewAnswer": "RED", "reviewRejectType": "FINAL"}), 400)
    assert "'rejectLabels' is a required property" in red["description"]
    assert_error(api.post(url, json={"reviewAnswer": "BLUE", "rejectLabels": []}), 400)
    assert_error(api.post(url, json={"rejectLabels": []}), 400)
    assert api.get(f"/resources/applicants/{applicant['id']}/status").json()["reviewStatus"] == "init"


def test_test_completed_green_needs_no_reject_labels(api, flow, sim):
    applicant = flow.applicant()
    url = f"/resources/applicants/{applicant['id']}/status/testCompleted"
    assert api.post(url, json={"reviewAnswer": "GREEN"}).json() == {"ok": 1}
    review = api.get(f"/resources/applicants/{applicant['id']}/status").json()
    assert review["reviewResult"] == {"reviewAnswer": "GREEN"} and review["reviewStatus"] == "completed"
    assert flow.events(sim, applicant["id"]) == ["applicantCreated", "applicantReviewed"]


def test_test_completed_is_sandbox_only(raw, api):
    token, secret = "prd:ProductionToken1.PrivatePart1", "prod-secret"
    raw.post("/_sim/sumsub/app-tokens", json={"appToken": token, "secretKey": secret})
    prod = SumsubAuth(token, secret)
    created = raw.post("/resources/applicants?levelName=l", json={"externalUserId": "p"}, auth=prod).json()
    response = raw.post(
        f"/resources/applicants/{created['id']}/status/testCompleted",
        json={"reviewAnswer": "GREEN", "rejectLabels": []},
        auth=prod,
    )
    assert assert_error(response, 400)["description"] == "This method is only supported on sandbox env"


def test_a_binding_on_external_action_id_picks_the_action_scenario(api, raw, flow):
    bound = raw.post("/_sim/bindings", json={"scenario": "action-error", "match": {"externalActionId": "bound-1"}})
    assert bound.status_code == 201
    applicant = flow.applicant()
    action = flow.played_action(applicant, externalActionId="bound-1")
    flow.advance(30)
    body = api.get(f"/resources/applicantActions/{action['id']}/one").json()
    assert body["reviewResult"] == {"reviewAnswer": "ERROR"}


def test_a_wrong_method_gets_the_sumsub_envelope(api):
    assert_error(api.request("DELETE", "/resources/applicants"), 405)


def test_advancing_one_tenants_clock_moves_only_its_applicants(api, raw, flow):
    from tests.providers.sumsub.support import TOKEN, SumsubAuth

    other_token, other_secret = "sbx:OtherTenant01.OtherPrivate01", "other"
    raw.post("/_sim/sumsub/app-tokens", json={"appToken": other_token, "secretKey": other_secret})
    other = SumsubAuth(other_token, other_secret)
    mine = flow.played_applicant()
    theirs = raw.post("/resources/applicants?levelName=l", json={"externalUserId": "t"}, auth=other).json()
    raw.post("/resources/accessTokens/sdk", json={"userId": "t", "levelName": "l"}, auth=other)
    raw.post("/_sim/clock/advance", json={"seconds": 60, "tenant": TOKEN})
    assert api.get(f"/resources/applicants/{mine['id']}/status").json()["reviewStatus"] == "completed"
    status = raw.get(f"/resources/applicants/{theirs['id']}/status", auth=other).json()
    assert status["reviewStatus"] == "init"
