"""Face Authentication: the prerequisite, each transition on the manual clock, 409s, codes, the hosted page."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.providers.checkout.products_helpers import create_fa, fa_attempt, get_fa, verified_applicant


def history(api, fa_id: str) -> list[tuple]:
    check = api.sim.store.get(api.key, "checkout", "face_authentications", fa_id)
    return [
        (h["event"].removeprefix("face_authentication_"), h["status"], h["attempt_status"]) for h in check["_history"]
    ]


def test_an_applicant_without_a_verified_face_cannot_authenticate(api):
    fresh = api.applicant()["id"]
    body = create_fa(api, fresh, status=422)
    assert body["error_type"] == "request_invalid" and body["error_codes"] == ["applicant_id__not_verified"]
    declined = api.applicant()["id"]
    idv = api.idv(declined, scenario="idv-declined-62304")
    api.attempt(idv["id"])
    api.advance(600)
    assert create_fa(api, declined, status=422)["error_codes"] == ["applicant_id__not_verified"]
    assert create_fa(api, "aplt_tkoi5db4hryu5cei5vwoabr7we", status=404)["error_codes"] == ["applicant_not_found"]
    assert create_fa(api, "not-an-id", status=422)["error_codes"] == ["applicant_id__invalid_format"]


def test_an_anonymized_verification_no_longer_counts_but_an_approved_fa_does(api):
    applicant_id = verified_applicant(api)
    fa = create_fa(api, applicant_id)
    fa_attempt(api, fa["id"])
    api.advance(600)
    assert get_fa(api, fa["id"])["status"] == "approved"
    idv_id = api.sim.store.list(api.key, "checkout", "identity_verifications")[0]["id"]
    api.call("POST", f"/identity-verifications/{idv_id}/anonymize")
    assert create_fa(api, applicant_id)["status"] == "created"  # the approved FA's face is the reference now
    api.call("POST", f"/face-authentications/{fa['id']}/anonymize")
    fa_ids = [d["id"] for d in api.sim.store.list(api.key, "checkout", "face_authentications")]
    for other in fa_ids[1:]:
        api.call("POST", f"/face-authentications/{other}/anonymize")
    assert create_fa(api, applicant_id, status=422)["error_codes"] == ["applicant_id__not_verified"]


def test_approved_flow_step_by_step_on_the_manual_clock(api):
    applicant_id = verified_applicant(api)
    fa = create_fa(api, applicant_id, user_journey_id="usj_tkoi5db4hryu5cei5vwoabr7we")
    assert (fa["status"], fa["response_codes"], fa["risk_labels"]) == ("created", [], [])
    assert fa["user_journey_id"] == "usj_tkoi5db4hryu5cei5vwoabr7we" and "face" not in fa
    attempt = fa_attempt(api, fa["id"], client_information={"pre_selected_residence_country": "FR"})
    assert attempt["status"] == "pending_redirection" and attempt["id"].startswith("fatp_")
    assert get_fa(api, fa["id"])["status"] == "pending"
    api.advance(10)
    assert get_fa(api, fa["id"])["status"] == "capture_in_progress"
    api.advance(30)
    assert get_fa(api, fa["id"])["status"] == "checks_in_progress"
    api.advance(20)
    done = get_fa(api, fa["id"])
    assert done["status"] == "approved" and done["response_codes"] == [{"code": 10000, "summary": "approved"}]
    assert api.client.get(done["face"]["image_signed_url"]).content.startswith(b"\x89PNG")
    assert history(api, fa["id"]) == [
        ("created", "created", None),
        ("opened", "pending", "pending_redirection"),
        ("started", "capture_in_progress", "capture_in_progress"),
        ("capture_completed", "checks_in_progress", "checks_in_progress"),
        ("checks_completed", "approved", "completed"),
    ]
    session = api.call("GET", f"/face-authentications/{fa['id']}/attempts/{attempt['id']}")[
        "applicant_session_information"
    ]
    assert "selected_documents" not in session and session["initial_device"] == "mobile"


def test_face_face_mismatch_declines_with_62321(api):
    fa = create_fa(api, verified_applicant(api), scenario="fa-declined-62321")
    fa_attempt(api, fa["id"])
    api.advance(600)
    done = get_fa(api, fa["id"])
    assert done["status"] == "declined"
    assert done["response_codes"] == [{"code": 62321, "summary": "face_face_mismatch"}]


def test_attempts_only_while_created_pending_capturing_or_retry_required(api):
    fa = create_fa(api, verified_applicant(api), scenario="fa-capture-aborted-61113")
    first = fa_attempt(api, fa["id"])
    api.advance(30)
    assert get_fa(api, fa["id"])["status"] == "retry_required"
    aborted = api.call("GET", f"/face-authentications/{fa['id']}/attempts/{first['id']}")
    assert aborted["status"] == "capture_aborted" and aborted["response_codes"][0]["code"] == 61113
    fa_attempt(api, fa["id"])  # retry allowed
    api.advance(600)
    assert get_fa(api, fa["id"])["status"] == "approved"
    conflict = fa_attempt(api, fa["id"], status=409)
    assert conflict["error_type"] == "operation_not_allowed"
    assert conflict["error_codes"] == ["face_authentication_status_invalid"]
    assert [h[0] for h in history(api, fa["id"])][:5] == [
        "created",
        "opened",
        "started",
        "capture_aborted",
        "retry_requested",
    ]


def test_refused_is_final(api):
    fa = create_fa(api, verified_applicant(api), scenario="fa-refused")
    fa_attempt(api, fa["id"])
    api.advance(60)
    done = get_fa(api, fa["id"])
    assert done["status"] == "refused" and done["response_codes"][0]["code"] == 63001
    assert fa_attempt(api, fa["id"], status=409)["error_codes"] == ["face_authentication_status_invalid"]


def test_a_new_attempt_resets_the_open_one(api):
    fa = create_fa(api, verified_applicant(api))
    first = fa_attempt(api, fa["id"])
    second = fa_attempt(api, fa["id"])
    old = api.call("GET", f"/face-authentications/{fa['id']}/attempts/{first['id']}")
    assert old["status"] == "terminated" and old["response_codes"][0]["code"] == 64001
    listed = api.call(
        "GET", f"/face-authentications/{fa['id']}/attempts", schema="face_authentication.attempts.response"
    )
    assert [a["id"] for a in listed["data"]] == [second["id"], first["id"]]
    assert history(api, fa["id"])[-1][0] == "reset"


def test_an_unopened_link_expires_after_15_minutes(make_api):
    api = make_api(applicant="interactive")
    fa = create_fa(api, verified_applicant_interactive(api))
    attempt = fa_attempt(api, fa["id"])
    api.advance(15 * 60)
    assert get_fa(api, fa["id"])["status"] == "retry_required"
    expired = api.call("GET", f"/face-authentications/{fa['id']}/attempts/{attempt['id']}")
    assert expired["status"] == "expired" and expired["response_codes"][0]["code"] == 61101


def verified_applicant_interactive(api) -> str:
    """In interactive mode nobody plays the IDV applicant: mark an approved IDV the way a test would seed it."""
    applicant = api.applicant()
    idv = api.idv(applicant["id"])
    check = api.sim.store.get(api.key, "checkout", "identity_verifications", idv["id"])
    check["status"] = "approved"
    api.sim.store.put(api.key, "checkout", "identity_verifications", idv["id"], check)
    return applicant["id"]


def test_the_hosted_page_plays_fa_and_redirects_with_the_code(api):
    fa = create_fa(api, verified_applicant(api), scenario="fa-capture-aborted-61203")
    attempt = fa_attempt(api, fa["id"], redirect_url="https://merchant.example.com/face?order=7")
    page_path = urlsplit(attempt["_links"]["verification_url"]["href"]).path
    page = api.client.get(page_path)
    assert page.status_code == 200 and "Face Authentication" in page.text and fa["id"] in page.text
    api.advance(30)
    state = api.client.get(f"{page_path}state").json()
    target = urlsplit(state["redirect"])
    expected = {
        "order": ["7"],
        "id": [fa["id"]],
        "event": ["face_authentication_capture_aborted"],
        "response_code": ["61203"],
    }
    assert parse_qs(target.query) == expected


def test_interactive_person_drives_the_face_capture(make_api):
    api = make_api(applicant="interactive")
    fa = create_fa(api, verified_applicant_interactive(api))
    attempt = fa_attempt(api, fa["id"])
    page_path = urlsplit(attempt["_links"]["verification_url"]["href"]).path
    assert "<form" in api.client.get(page_path).text
    for action in ("start", "complete"):
        response = api.client.post(page_path, data={"action": action}, follow_redirects=False)
        assert response.status_code in (200, 303), response.text
    assert get_fa(api, fa["id"])["status"] == "checks_in_progress"
    api.advance(60)
    assert get_fa(api, fa["id"])["status"] == "approved"


@pytest.mark.parametrize(
    "extra", [{"pre_selected_document_type": "Passport"}, {"pre_selected_document_issuing_country": "FR"}]
)
def test_client_information_has_no_document_fields(api, extra):
    fa = create_fa(api, verified_applicant(api))
    body = fa_attempt(api, fa["id"], status=422, client_information={"pre_selected_residence_country": "FR", **extra})
    assert body["error_codes"] == ["client_information__invalid"]


def test_anonymize_keeps_the_status_and_drops_the_face(api):
    fa = create_fa(api, verified_applicant(api))
    fa_attempt(api, fa["id"])
    api.advance(600)
    anonymized = api.call("POST", f"/face-authentications/{fa['id']}/anonymize", schema="face_authentication.response")
    assert anonymized["status"] == "approved" and "face" not in anonymized
    assert history(api, fa["id"])[-1][0] == "anonymized"
    assets = api.call(
        "GET", f"/face-authentications/{fa['id']}/attempts", schema="face_authentication.attempts.response"
    )
    assert "applicant_session_information" not in assets["data"][0]


def test_other_tenants_do_not_see_it(api, other):
    fa = create_fa(api, verified_applicant(api))
    assert other.call("GET", f"/face-authentications/{fa['id']}", status=404)["error_codes"] == [
        "face_authentication_not_found"
    ]
