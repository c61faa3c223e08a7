"""The product schemas are valid and accept the provider's own examples (and reject near misses)."""

from __future__ import annotations

import json

import pytest
from jsonschema import Draft202012Validator

from simulator.providers.checkout import schemas

SCHEMAS = schemas.FOLDER
PRODUCTS = ("face_authentication", "id_document_verification", "address_document_verification", "aml_screening")
BASE = "https://identity-verification.sandbox.checkout.com"


def errors(name: str, instance: object) -> list[str]:
    return schemas.response_errors(name.removesuffix(".json"), instance)


@pytest.mark.parametrize("path", sorted(p.name for p in SCHEMAS.glob("*.json") if p.name.startswith(PRODUCTS)))
def test_every_product_schema_is_a_valid_json_schema(path):
    Draft202012Validator.check_schema(json.loads((SCHEMAS / path).read_text()))


def test_each_product_has_its_schemas():
    names = {p.name for p in SCHEMAS.glob("*.json")}
    for product in PRODUCTS[:3]:
        for part in (
            "create.request",
            "attempt.create.request",
            "response",
            "attempt.response",
            "attempts.response",
            "assets.response",
        ):
            assert f"{product}.{part}.json" in names
    for product in PRODUCTS[1:3]:
        assert f"{product}.pdf_report.response.json" in names
    assert {"aml_screening.create.request.json", "aml_screening.response.json"} <= names


def test_face_authentication_requests():
    journey = "usj_tkoi5db4hryu5cei5vwoabr7we"
    assert (
        errors("face_authentication.create.request.json", {"applicant_id": "aplt_x", "user_journey_id": journey}) == []
    )
    assert errors("face_authentication.create.request.json", {"applicant_id": "aplt_x"})  # required by the spec
    assert errors("face_authentication.create.request.json", {"applicant_id": "aplt_x", "user_journey_id": "usj_y"})
    assert errors("face_authentication.create.request.json", {"user_journey_id": journey})
    ok = {
        "redirect_url": "https://myweb.site?query-param=hello",
        "phone_number": {"country_code": "+1", "number": "2068133616"},
        "client_information": {"pre_selected_residence_country": "FR", "pre_selected_language": "en-US"},
    }
    assert errors("face_authentication.attempt.create.request.json", ok) == []
    doc_fields = {**ok, "client_information": {"pre_selected_document_type": "Passport"}}
    assert errors("face_authentication.attempt.create.request.json", doc_fields)  # FavClientInformation is smaller
    assert errors("face_authentication.attempt.create.request.json", {})


def test_face_authentication_responses():
    fav = {
        "id": "fav_tkoi5db4hryu5cei5vwoabr7we",
        "created_on": "2025-07-21T17:32:28Z",
        "modified_on": "2025-07-21T17:40:32Z",
        "applicant_id": "aplt_tkoi5db4hryu5cei5vwoabr7we",
        "user_journey_id": "usj_tkoi5db4hryu5cei5vwoabr7we",
        "status": "approved",
        "response_codes": [{"code": 10000, "summary": "approved"}],
        "risk_labels": [],
        "face": {"image_signed_url": None},
        "_links": {
            "self": {"href": f"{BASE}/face-authentications/fav_x"},
            "applicant": {"href": f"{BASE}/applicants/aplt_x"},
        },
    }
    assert errors("face_authentication.response.json", fav) == []
    assert errors("face_authentication.response.json", {**fav, "status": "review_required"})
    attempt = {
        "id": "fatp_tkoi5db4hryu5cei5vwoabrPoQ",
        "created_on": "2017-07-21T17:32:28Z",
        "modified_on": "2017-07-21T17:40:32Z",
        "status": "pending_redirection",
        "response_codes": [],
        "redirect_url": "https://myweb.site?query-param=hello",
        "applicant_session_information": {"ip_address": "123.123.123.01"},
        "_links": {"self": {"href": f"{BASE}/x"}, "verification_url": {"href": "https://idv.checkout.com/4hryu5cei5/"}},
    }
    assert errors("face_authentication.attempt.response.json", attempt) == []
    with_docs = {**attempt, "applicant_session_information": {"selected_documents": []}}
    assert errors("face_authentication.attempt.response.json", with_docs)
    listing = {"total_count": 1, "skip": 0, "limit": 10, "data": [attempt], "_links": {"self": {"href": f"{BASE}/x"}}}
    assert errors("face_authentication.attempts.response.json", listing) == []
    assets = {
        "total_count": 1,
        "skip": 0,
        "limit": 10,
        "_links": {"self": {"href": f"{BASE}/x"}},
        "data": [{"type": "face_image", "_links": {"asset_url": {"href": f"{BASE}/a.png"}}}],
    }
    assert errors("face_authentication.assets.response.json", assets) == []
    assets["data"][0]["type"] = "document_front_image"
    assert errors("face_authentication.assets.response.json", assets)


def test_document_verification_shapes():
    iddv = {
        "id": "iddv_tkoi5db4hryu5cei5vwoabr7we",
        "created_on": "2017-07-21T17:32:28Z",
        "modified_on": "2017-07-21T17:40:32Z",
        "user_journey_id": "usj_tkoi5db4hryu5cei5vwoabr7we",
        "applicant_id": "aplt_tkoi5db4hryu5cei5vwoabr7we",
        "status": "created",
        "response_codes": [],
        "declared_data": {"name": "David Vincent"},
        "document": {
            "full_name": "David Vincent",
            "birth_date": "1934-10-02",
            "document_type": "ID",
            "document_issuing_country": "US",
        },
        "_links": {"self": {"href": f"{BASE}/x"}, "applicant": {"href": f"{BASE}/y"}},
    }
    assert errors("id_document_verification.response.json", iddv) == []
    assert errors("id_document_verification.response.json", {**iddv, "risk_labels": []})  # IDDV has none
    assert errors("id_document_verification.response.json", {**iddv, "status": "pending"})
    adv = {
        **{k: v for k, v in iddv.items() if k != "document"},
        "id": "adv_tkoi5db4hryu5cei5vwoabr7we",
        "risk_labels": [],
        "_links": {"self": {"href": f"{BASE}/x"}},
        "address_document": {
            "document_type": "utility_bill",
            "issuer": "EDF",
            "full_names": ["David Vincent"],
            "issue_date": "2025-01-02",
            "address": {"address_line1": "1 rue de Rivoli", "city": "Paris", "zip": "75001", "country": "FR"},
        },
    }
    assert errors("address_document_verification.response.json", adv) == []
    attempt = {
        "id": "datp_tkoi5db4hryu5cei5vwoabr7we",
        "created_on": "2017-07-21T17:32:28Z",
        "modified_on": "2017-07-21T17:40:32Z",
        "status": "quality_checks_in_progress",
        "response_codes": [],
        "_links": {"self": {"href": f"{BASE}/x"}},
    }
    assert errors("id_document_verification.attempt.response.json", attempt) == []
    assert errors("id_document_verification.attempt.response.json", {**attempt, "status": "pending_redirection"})
    assert errors("address_document_verification.attempt.response.json", {**attempt, "id": "adva_x"}) == []
    assert errors("id_document_verification.pdf_report.response.json", {"pdf_report": f"{BASE}/r.pdf"}) == []
    assert errors("id_document_verification.attempt.create.request.json", {"document_type": "Card"})
    assert errors("address_document_verification.create.request.json", {"applicant_id": "aplt_x"})  # usj required
    assert errors("id_document_verification.create.request.json", {"applicant_id": "aplt_x"})  # usj required
    journey = {"applicant_id": "aplt_x", "user_journey_id": "usj_tkoi5db4hryu5cei5vwoabr7we"}
    assert errors("id_document_verification.create.request.json", journey) == []
    assert errors("id_document_verification.create.request.json", {**journey, "declared_data": {"name": "D"}})


def test_aml_shapes():
    req = {
        "applicant_id": "aplt_tkoi5db4hryu5cei5vwoabr7we",
        "monitored": False,
        "search_parameters": {"configuration_identifier": "011e5c14-2222-738c-8852-dfdbbe53f233"},
    }
    assert errors("aml_screening.create.request.json", req) == []
    assert errors("aml_screening.create.request.json", {"applicant_id": "aplt_x", "search_parameters": {}})
    assert errors("aml_screening.create.request.json", {**req, "monitored": "yes"})
    resp = {
        **req,
        "id": "amlv_tkoi5db4hryu5cei5vwoabr7we",
        "created_on": "2017-07-21T17:32:28Z",
        "modified_on": "2017-07-21T17:40:32Z",
        "status": "review_required",
        "_links": {"self": {"href": f"{BASE}/x"}, "applicant": {"href": f"{BASE}/y"}},
    }
    assert errors("aml_screening.response.json", resp) == []
    assert errors("aml_screening.response.json", {**resp, "status": "pending"})
    assert errors("aml_screening.response.json", {**resp, "risk_level": "LOW"})  # only legacy webhooks carry it
