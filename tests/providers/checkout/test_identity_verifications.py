from __future__ import annotations

from tests.support.icao9303 import td3_errors


def test_create_answers_created_with_links(api):
    applicant = api.applicant(email="hannah.bret@example.com")
    idv = api.idv(applicant["id"], user_journey_id="usj_tkoi5db4hryu5cei5vwoabr7we")
    assert idv["id"].startswith("idv_")
    assert idv["status"] == "created"
    assert idv["response_codes"] == [] and idv["risk_labels"] == [] and idv["documents"] == []
    assert idv["declared_data"] == {"name": "Hannah Bret", "birth_date": "1994-10-15"}
    assert idv["user_journey_id"] == "usj_tkoi5db4hryu5cei5vwoabr7we"
    assert idv["_links"] == {
        "self": {"href": f"http://testserver/identity-verifications/{idv['id']}"},
        "applicant": {"href": f"http://testserver/applicants/{applicant['id']}"},
    }
    assert api.get_idv(idv["id"])["status"] == "created"
    assert api.events(idv["id"]) == ["identity_verification_created"]


def test_default_user_journey_is_stable_per_tenant(api):
    first, second = api.idv(), api.idv()
    assert first["user_journey_id"] == second["user_journey_id"]
    assert first["user_journey_id"].startswith("usj_")


def test_create_and_open_makes_applicant_check_and_attempt(api):
    body = {
        "declared_data": {"name": "Hannah Bret", "email": "hannah.bret@example.com"},
        "redirect_url": "https://myweb.site?query-param=hello",
    }
    idv = api.call("POST", "/create-and-open-idv", json=body, status=201, schema="identity_verification.response")
    assert idv["status"] == "pending"
    assert idv["redirect_url"] == "https://myweb.site?query-param=hello"
    assert idv["_links"]["verification_url"]["href"].startswith("http://testserver/verify/")
    applicant = api.call("GET", f"/applicants/{idv['applicant_id']}", schema="applicant.response")
    assert applicant["email"] == "hannah.bret@example.com"
    assert applicant["external_applicant_name"] == "Hannah Bret"
    attempts = api.call("GET", f"/identity-verifications/{idv['id']}/attempts", schema="attempt_list.response")
    assert [a["status"] for a in attempts["data"]] == ["pending_redirection"]
    assert api.events(idv["id"]) == ["identity_verification_created", "identity_verification_opened"]


def test_approved_flow_fills_documents_face_and_report(api):
    idv = api.idv()
    attempt = api.attempt(idv["id"])
    api.advance(10 + 60 + 30 + 5)
    done = api.get_idv(idv["id"])
    assert done["status"] == "approved"
    assert done["response_codes"] == [{"code": 10000, "summary": "approved"}]
    document = done["documents"][0]
    assert document["full_name"] == "Hannah BRET" and document["birth_date"] == "1994-10-15"
    assert document["document_mrz"].startswith("P<GBRBRET<<HANNAH")
    assert td3_errors(document["document_mrz"].split("\n")) == []
    assert done["verified_identity"]["last_name"] == "Bret"
    assert done["face"]["image_signed_url"].endswith("/face_image.png")
    report = api.call("GET", f"/identity-verifications/{idv['id']}/pdf-report", schema="pdf_report.response")
    pdf = api.client.get(report["pdf_report"])
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-") and pdf.content.rstrip().endswith(b"%%EOF")
    assert api.get_attempt(idv["id"], attempt["id"])["status"] == "completed"


def test_pdf_report_is_404_before_the_report_exists(api):
    idv = api.idv()
    body = api.call("GET", f"/identity-verifications/{idv['id']}/pdf-report", status=404)
    assert body["error_codes"] == ["pdf_report_not_found"]


def test_anonymize_removes_personal_data_and_keeps_status(api):
    idv = api.idv()
    api.attempt(idv["id"])
    api.advance(200)
    anonymized = api.call(
        "POST", f"/identity-verifications/{idv['id']}/anonymize", schema="identity_verification.response"
    )
    assert anonymized["status"] == "approved"
    assert "declared_data" not in anonymized and "verified_identity" not in anonymized and "face" not in anonymized
    assert anonymized["documents"] == []
    assert api.events(idv["id"])[-1] == "identity_verification_anonymized"
    api.call("GET", f"/identity-verifications/{idv['id']}/pdf-report", status=404)


def test_validation_errors_name_the_attribute(api):
    body = api.call("POST", "/identity-verifications", json={"declared_data": {"birth_date": "15/10/1994"}}, status=422)
    assert body["error_type"] == "request_invalid"
    assert body["error_codes"] == [
        "applicant_id__required",
        "declared_data__name__required",
        "declared_data__birth_date__invalid_format",
    ]


def test_unknown_applicant_on_create_is_404(api):
    body = api.call(
        "POST",
        "/identity-verifications",
        status=404,
        json={"applicant_id": "aplt_tkoi5db4hryu5cei5vwoabr7we", "declared_data": {"name": "Al Bo"}},
    )
    assert body["error_codes"] == ["applicant_not_found"]


def test_results_are_consistent_with_the_declared_data_and_country(api):
    idv = api.idv(declared_data={"name": "Jean Dupont", "birth_date": "1980-02-29"})
    api.attempt(
        idv["id"],
        client_information={"pre_selected_document_issuing_country": "FR", "pre_selected_document_type": "ID"},
    )
    api.advance(200)
    done = api.get_idv(idv["id"])
    document = done["documents"][0]
    assert (document["document_type"], document["document_issuing_country"], document["nationality"]) == (
        "ID",
        "FR",
        "FR",
    )
    assert (document["first_names"], document["last_name"], document["gender"]) == ("Jean", "DUPONT", "M")
    assert document["birth_date"] == "1980-02-29"
    assert document["back_image_signed_url"].endswith("/document_back_image.png")
    assert done["verified_identity"]["full_name"] == "Jean Dupont"


def test_declared_identity_mismatch_reads_someone_else(api):
    idv = api.idv(scenario="idv-declined-62401")
    api.attempt(idv["id"])
    api.advance(200)
    assert api.get_idv(idv["id"])["verified_identity"]["full_name"] != "Hannah Bret"
