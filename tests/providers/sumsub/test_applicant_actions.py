"""Applicant actions: create, read, list, request check, payment method, checks, and the seed's
"Get action check results" example reproduced field for field."""

from __future__ import annotations

import re

import pytest

from tests.facts import sumsub_action_example
from tests.providers.sumsub.support import assert_error, assert_valid

# The response example of Sumsub's "Get action check results" page (tests/facts), field by field.
SEED_EXAMPLE = sumsub_action_example()
HEX24, UUID = r"[0-9a-f]{24}", r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
LETTERS5 = r"[A-Za-z]{5}"
CREATED_AT, REVIEW_DATE = r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\+0000"
SAME = "the example's value"  # the action is created with the example's inputs, so the value is the same
# Every field of the example and what kycsim's must be: the example's value, or its format.
FIELD_RULES: dict[str, str | type] = {
    "id": HEX24,
    "createdAt": CREATED_AT,
    "clientId": r"\S+",  # the client's own id in Sumsub
    "externalActionId": SAME,
    "applicantId": HEX24,
    "review.reviewId": LETTERS5,
    "review.attemptId": LETTERS5,
    "review.attemptCnt": SAME,
    "review.elapsedSincePendingMs": int,
    "review.levelName": SAME,
    "review.createDate": REVIEW_DATE,
    "review.reviewResult.reviewAnswer": SAME,
    "review.reviewStatus": SAME,
    "checks.0.answer": SAME,
    "checks.0.checkType": SAME,
    "checks.0.createdAt": CREATED_AT,
    "checks.0.id": UUID,
    "checks.0.attemptId": LETTERS5,
    "requiredIdDocs.docSets.0.idDocSetType": SAME,
    "requiredIdDocs.docSets.0.types.0": SAME,
    "paymentMethod.type": SAME,
    "paymentMethod.subType": SAME,
    "paymentMethod.data.requiredIdDoc.firstName": SAME,
    "paymentMethod.data.requiredIdDoc.lastName": SAME,
    "paymentMethod.data.requiredIdDoc.txnAmount": SAME,
    "reviewResult.reviewAnswer": SAME,
}


def leaves(value, prefix=""):
    """``{"a.b.0": leaf}`` for every leaf of a JSON value."""
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = ((str(i), v) for i, v in enumerate(value))
    else:
        return {prefix: value}
    return {path: leaf for k, v in items for path, leaf in leaves(v, f"{prefix}.{k}" if prefix else k).items()}


def test_every_field_of_the_example_has_a_rule():
    assert set(leaves(SEED_EXAMPLE)) == set(FIELD_RULES)


def test_a_payment_method_action_reproduces_the_seed_response_field_for_field(api, flow):
    applicant = flow.applicant()
    action = flow.action(
        applicant["id"],
        "action-payment-method-approved",
        level=SEED_EXAMPLE["review"]["levelName"],
        externalActionId=SEED_EXAMPLE["externalActionId"],
        paymentMethod=SEED_EXAMPLE["paymentMethod"],
    )
    assert flow.upload(action["id"], "PAYMENT_METHOD", action=True, file_name="card.png").status_code == 200
    assert api.post(f"/resources/applicantActions/{action['id']}/review/status/pending").status_code == 200
    flow.advance(60)
    body = api.get(f"/resources/applicantActions/{action['id']}/one").json()
    assert_valid("action", body)
    actual = leaves(body)
    for path, expected in leaves(SEED_EXAMPLE).items():
        assert path in actual, f"{path} is missing"
        rule, value = FIELD_RULES[path], actual[path]
        if rule is SAME:
            assert value == expected, path
        elif isinstance(rule, type):
            assert type(value) is rule and value >= 0, path
        else:
            assert isinstance(value, str) and re.fullmatch(rule, value), f"{path} = {value!r}"
    # Relations the example implies: the action's applicant, one attempt, its check in that attempt.
    assert body["applicantId"] == applicant["id"]
    assert body["checks"][0]["attemptId"] == body["review"]["attemptId"]
    assert body["review"]["reviewResult"] == body["reviewResult"]
    assert body["createdAt"] <= body["checks"][0]["createdAt"]
    risk = body["paymentMethod"]["checks"][0]["bankCardRiskScoreInfo"]
    assert 0 < risk["riskScore"] < 0.5 and risk["binInfo"]["brand"] == "VISA"
    assert re.fullmatch(r"[A-Z]{3}", risk["binInfo"]["country"])


def test_create_returns_the_init_action(flow):
    applicant = flow.applicant()
    action = flow.action(applicant["id"])
    assert_valid("action", action)
    assert action["review"]["reviewStatus"] == "init" and action["review"]["attemptCnt"] == 0
    assert action["type"] == "paymentMethod" and "checks" not in action


def test_create_needs_external_action_id_and_one_more_field(api, flow):
    applicant = flow.applicant()
    url = f"/resources/applicantActions/-/forApplicant/{applicant['id']}?levelName=x"
    assert "empty" in assert_error(api.post(url, json={"externalActionId": "a"}), 400)["description"]
    assert_error(api.post(url, json={"email": "a@example.com"}), 400)
    assert_error(api.post(url, content=b""), 400)
    missing = "/resources/applicantActions/-/forApplicant/0123456789abcdef01234567?levelName=x"
    assert_error(api.post(missing, json={"externalActionId": "a", "email": "e@x.io"}), 404)


def test_a_duplicate_external_action_id_is_409(api, flow):
    applicant = flow.applicant()
    flow.action(applicant["id"], externalActionId="same")
    url = f"/resources/applicantActions/-/forApplicant/{applicant['id']}?levelName=x"
    assert_error(api.post(url, json={"externalActionId": "same", "email": "a@example.com"}), 409)


def test_payment_source_action_with_the_documented_trailing_slash(api, flow):
    applicant = flow.applicant()
    body = {
        "externalActionId": "payment-source-1",
        "paymentSource": {
            "fixedInfo": {
                "institutionName": "Name",
                "fullName": "John Doe",
                "accountIdentifier": "120834387",
                "email": "JohnDoe@mail.com",
            }
        },
    }
    response = api.post(
        f"/resources/applicantActions/-/forApplicant/{applicant['id']}/?levelName=paymentSource",
        json=body,
        headers={"X-KycSim-Scenario": "action-payment-source-mismatch"},
    )
    assert response.status_code == 200, response.text
    action = response.json()
    flow.hand_off(applicant, action)
    assert action["requiredIdDocs"]["docSets"] == [{"idDocSetType": "PAYMENT_METHODS", "types": ["PAYMENT_SOURCE"]}]
    assert re.fullmatch(r"[0-9a-f-]{36}", action["paymentSource"]["id"])
    flow.advance(30)
    latest = api.get(f"/resources/api/applicantActions/{action['id']}/checks/latest?type=PAYMENT_SOURCE").json()
    assert latest["checks"][0]["checkType"] == "PAYMENT_SOURCE" and latest["checks"][0]["answer"] == "RED"
    done = api.get(f"/resources/applicantActions/{action['id']}/one").json()
    assert_valid("action", done)
    source_check = done["paymentSource"]["checks"][0]
    assert source_check["applicantInfoMatched"] == "RED" and source_check["unmatchedFields"] == ["fullName"]
    assert done["reviewResult"]["buttonIds"] == ["dataMismatch_fullName"]


def test_list_filters_by_applicant_with_limit_offset_and_both_envelopes(api, flow):
    applicant, other = flow.applicant(), flow.applicant()
    ids = [flow.action(applicant["id"])["id"] for _ in range(3)]
    flow.action(other["id"])
    body = api.get(f"/resources/applicantActions/-;applicantId={applicant['id']}?limit=2&offset=1").json()
    assert_valid("action_list", body)
    assert body["list"]["totalItems"] == body["totalItems"] == 3
    assert [a["id"] for a in body["list"]["items"]] == ids[1:] == [a["id"] for a in body["items"]]
    everything = api.get(f"/resources/applicantActions/-;applicantId={applicant['id']}").json()
    assert len(everything["items"]) == 3
    assert_error(api.get(f"/resources/applicantActions/-;applicantId={applicant['id']}?limit=x"), 400)
    assert_error(api.get("/resources/applicantActions/-;foo=bar"), 400)


def test_request_check_returns_the_pending_action_and_sends_the_webhook(api, flow, sim):
    applicant = flow.applicant()
    action = flow.action(applicant["id"])
    flow.upload(action["id"], "PAYMENT_METHOD", action=True)
    response = api.post(f"/resources/applicantActions/{action['id']}/review/status/pending")
    body = response.json()
    assert_valid("action", body)
    assert body["review"]["reviewStatus"] == "pending" and body["review"]["attemptCnt"] == 1
    assert flow.events(sim, action["id"]) == ["applicantActionPending"]


@pytest.mark.parametrize(
    ("scenario", "checks", "answer"),
    [
        ("action-selfie-approved", [("FACE_LIVELINESS", "GREEN"), ("FACE_MATCH", "GREEN")], "GREEN"),
        ("action-liveness-failed", [("FACE_LIVELINESS", "RED")], "RED"),
        ("action-face-mismatch", [("FACE_LIVELINESS", "GREEN"), ("FACE_MATCH", "RED")], "RED"),
        ("action-face-match-ignored", [("FACE_LIVELINESS", "GREEN"), ("FACE_MATCH", "IGNORED")], "GREEN"),
        ("action-on-hold", [("PAYMENT_METHOD", "YELLOW")], "GREEN"),
        ("action-error", [("PAYMENT_METHOD", "ERROR")], "ERROR"),
    ],
)
def test_scenarios_produce_their_checks(api, flow, sim, scenario, checks, answer):
    applicant = flow.applicant()
    action = flow.played_action(applicant, scenario, level="selfie-level", email="a@example.com")
    flow.advance(3 * 3600)
    body = api.get(f"/resources/applicantActions/{action['id']}/one").json()
    assert_valid("action", body)
    assert [(c["checkType"], c["answer"]) for c in body["checks"]] == checks
    assert body["reviewResult"]["reviewAnswer"] == answer
    liveness = next((c for c in body["checks"] if c["checkType"] == "FACE_LIVELINESS"), None)
    if liveness:
        assert liveness["livenessInfo"]["livenessResult"]["answer"] == liveness["answer"]
        assert isinstance(liveness["livenessInfo"]["livenessData"]["images"][0]["imageId"], int)
    assert flow.events(sim, action["id"])[-1] == "applicantActionReviewed"


def test_a_selfie_level_action_defaults_to_face_checks(api, flow):
    applicant = flow.applicant()
    action = flow.played_action(applicant, level="selfie-level", email="a@example.com")
    assert action["type"] == "selfieAuth"
    flow.advance(60)
    body = api.get(f"/resources/applicantActions/{action['id']}/one").json()
    assert [c["checkType"] for c in body["checks"]] == ["FACE_LIVELINESS", "FACE_MATCH"]


def test_on_hold_and_level_change_webhooks(flow, sim, api):
    applicant = flow.applicant()
    held = flow.played_action(applicant, "action-on-hold")
    moved = flow.played_action(applicant, "action-level-changed")
    flow.advance(20)
    assert "applicantActionOnHold" in flow.events(sim, held["id"])
    assert flow.events(sim, moved["id"]) == [
        "applicantActionPending",
        "applicantActionLevelChanged",
        "applicantActionReviewed",
    ]
    body = api.get(f"/resources/applicantActions/{moved['id']}/one").json()
    assert body["review"]["levelName"] == "payment-method-level-2"


def test_retry_then_approved_action_counts_attempts(api, flow):
    applicant = flow.applicant()
    action = flow.played_action(applicant, "action-retry-then-approved")
    flow.advance(20)
    first = api.get(f"/resources/applicantActions/{action['id']}/one").json()
    assert first["reviewResult"]["reviewRejectType"] == "RETRY"
    flow.advance(200)
    second = api.get(f"/resources/applicantActions/{action['id']}/one").json()
    assert second["review"]["attemptCnt"] == 2 and second["reviewResult"] == {"reviewAnswer": "GREEN"}
    assert second["checks"][0]["attemptId"] == second["review"]["attemptId"] != first["review"]["attemptId"]


def test_payment_method_data_replaces_the_stored_one(api, flow):
    applicant = flow.applicant()
    action = flow.action(applicant["id"])
    data = {"type": "bankCard", "subType": "MASTERCARD", "data": {"requiredIdDoc": {"firstName": "Jane"}}}
    response = api.post(f"/resources/applicantActions/{action['id']}/paymentMethod", json=data)
    assert response.json() == data
    assert api.get(f"/resources/applicantActions/{action['id']}/one").json()["paymentMethod"] == data
    assert_error(api.post(f"/resources/applicantActions/{action['id']}/paymentMethod", json={"subType": "X"}), 400)
    assert_error(api.post("/resources/applicantActions/123/paymentMethod", json=data), 400)


def test_legacy_typed_creation_takes_the_external_id_from_the_header(api, flow):
    applicant = flow.applicant()
    response = api.post(
        f"/resources/applicantActions/-/forApplicant/{applicant['id']}/paymentMethod?requireSelfie=false",
        json={"type": "bankCard", "subType": "VISA"},
        headers={"X-External-Action-Id": "legacy-1"},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["externalActionId"] == "legacy-1" and body["paymentMethod"]["subType"] == "VISA"
    crypto = api.post(
        f"/resources/applicantActions/-/forApplicant/{applicant['id']}/cryptoSourceOfFunds",
        json={"externalActionId": "c-1", "currency": "BTC", "direction": "deposit", "address": "bc1q"},
    )
    assert crypto.status_code == 200 and crypto.json()["type"] == "cryptoSourceOfFunds"
    assert_error(api.post(f"/resources/applicantActions/-/forApplicant/{applicant['id']}/faceAuth", json={}), 400)
