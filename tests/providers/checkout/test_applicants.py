from __future__ import annotations


def test_create_get_update_anonymize(api):
    created = api.applicant(
        external_applicant_id="ext_osdfdfdb4hryu5cei5vwoabrk5k",
        email="hannah.bret@example.com",
        external_applicant_name="Hannah Bret",
    )
    assert created["id"].startswith("aplt_") and len(created["id"]) == 31
    assert created["_links"]["self"]["href"] == f"http://testserver/applicants/{created['id']}"
    assert created["created_on"] == "2025-01-01T00:00:00Z"

    fetched = api.call("GET", f"/applicants/{created['id']}", schema="applicant.response")
    assert fetched == created

    api.advance(60)
    updated = api.call(
        "PATCH", f"/applicants/{created['id']}", json={"email": "h.b@example.com"}, schema="applicant.response"
    )
    assert updated["email"] == "h.b@example.com"
    assert updated["external_applicant_name"] == "Hannah Bret"
    assert updated["modified_on"] == "2025-01-01T00:01:00Z"

    anonymized = api.call("POST", f"/applicants/{created['id']}/anonymize", schema="applicant.response")
    assert "email" not in anonymized and "external_applicant_name" not in anonymized
    assert anonymized["external_applicant_id"] == "ext_osdfdfdb4hryu5cei5vwoabrk5k"


def test_an_anonymized_applicant_cannot_get_personal_data_back(api):
    created = api.applicant(email="hannah.bret@example.com", external_applicant_name="Hannah Bret")
    anonymized = api.call("POST", f"/applicants/{created['id']}/anonymize")
    for body in ({"email": "again@example.com"}, {"external_applicant_name": "Hannah Bret"}, {}):
        refused = api.call("PATCH", f"/applicants/{created['id']}", json=body, status=400)
        assert refused["error_type"] == "invalid_request" and refused["error_codes"] == ["applicant_anonymized"]
    assert api.call("GET", f"/applicants/{created['id']}") == anonymized  # nothing written back


def test_unset_optional_fields_are_left_out(api):
    created = api.applicant()
    assert set(created) == {"id", "created_on", "modified_on", "_links"}


def test_update_ignores_external_applicant_id(api):
    created = api.applicant(external_applicant_id="ext_1")
    updated = api.call("PATCH", f"/applicants/{created['id']}", json={"external_applicant_id": "ext_2"})
    assert updated["external_applicant_id"] == "ext_1"


def test_validation_errors_are_400_on_applicants(api):
    body = api.call(
        "POST", "/applicants", json={"email": "not-an-email", "external_applicant_name": "x" * 256}, status=400
    )
    assert body["error_type"] == "invalid_request"
    assert body["error_codes"] == ["email__invalid_format", "external_applicant_name__invalid"]


def test_unknown_applicant_is_404(api):
    body = api.call("GET", "/applicants/aplt_tkoi5db4hryu5cei5vwoabr7we", status=404)
    assert body["error_codes"] == ["applicant_not_found"]
    api.call("PATCH", "/applicants/aplt_tkoi5db4hryu5cei5vwoabr7we", json={}, status=404)
    api.call("POST", "/applicants/aplt_tkoi5db4hryu5cei5vwoabr7we/anonymize", status=404)


def test_timestamps_use_go_rfc3339_like_the_api_and_its_webhooks():
    from datetime import UTC, datetime

    from simulator.providers.checkout.state import rfc3339

    assert rfc3339(datetime(2025, 7, 21, 17, 32, 28, tzinfo=UTC)) == "2025-07-21T17:32:28Z"  # API reference sample
    assert rfc3339(datetime(2024, 12, 5, 18, 32, 39, 394150, tzinfo=UTC)) == "2024-12-05T18:32:39.39415Z"  # webhook
    assert rfc3339(datetime(2024, 12, 5, 17, 57, 0, 588067, tzinfo=UTC)) == "2024-12-05T17:57:00.588067Z"
