"""Compatibility: ``checkout-sdk-node``'s other Identities clients (Face Authentication, ID and
Address Document Verification, AML Screening), unmodified, against a real kycsim server.

One node process runs ``node/drive_products.mjs`` for the module (pointed at kycsim as in
``test_node_sdk.py``); the tests read its JSON results and kycsim's journal. Skipped with the
reason when Node.js/npm or the npm registry is missing (``tests/support/node.py``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from simulator.providers.checkout.schemas import response_errors
from simulator.server import ThreadedServer
from simulator.settings import Settings
from tests.providers.checkout.conftest import KEY
from tests.support.node import run_node

pytestmark = pytest.mark.node

DRIVER = Path(__file__).parent / "node" / "drive_products.mjs"
ID = {p: re.compile(rf"^{p}_[a-z2-7]{{26}}$") for p in ("aplt", "fav", "fatp", "iddv", "datp", "adv", "adva", "amlv")}
APPROVED = [{"code": 10000, "summary": "approved"}]

FA, IDDV, ADV = "face_authentication", "id_document_verification", "address_document_verification"
SCHEMAS = {
    "createFaceAuthentication": f"{FA}.response",
    "createFaceAuthenticationAttempt": f"{FA}.attempt.response",
    "getFaceAuthentication": f"{FA}.response",
    "listFaceAuthenticationAttempts": f"{FA}.attempts.response",
    "getFaceAuthenticationAttempt": f"{FA}.attempt.response",
    "getFaceAuthenticationAttemptAssets": f"{FA}.assets.response",
    "anonymizeFaceAuthentication": f"{FA}.response",
    "getDeclinedFaceAuthentication": f"{FA}.response",
    "createIDDocumentVerification": f"{IDDV}.response",
    "createIDDocumentVerificationAttempt": f"{IDDV}.attempt.response",
    "getIDDocumentVerification": f"{IDDV}.response",
    "listIDDocumentVerificationAttempts": f"{IDDV}.attempts.response",
    "getIDDocumentVerificationAttempt": f"{IDDV}.attempt.response",
    "getIDDocumentVerificationPDFReport": f"{IDDV}.pdf_report.response",
    "anonymizeIDDocumentVerification": f"{IDDV}.response",
    "createAddressDocumentVerification": f"{ADV}.response",
    "createAddressDocumentVerificationAttempt": f"{ADV}.attempt.response",
    "getAddressDocumentVerification": f"{ADV}.response",
    "listAddressDocumentVerificationAttempts": f"{ADV}.attempts.response",
    "getAddressDocumentVerificationAttempt": f"{ADV}.attempt.response",
    "getAddressDocumentVerificationPDFReport": f"{ADV}.pdf_report.response",
    "anonymizeAddressDocumentVerification": f"{ADV}.response",
    "createAMLVerification": "aml_screening.response",
    "getAMLScreening": "aml_screening.response",
    "createAMLReview": "aml_screening.response",
    "getAMLReview": "aml_screening.response",
}


@pytest.fixture(scope="module")
def server() -> Iterator[ThreadedServer]:
    with ThreadedServer(Settings(seed=7, speed="manual", start_time="2025-01-01T00:00:00Z")) as running:
        yield running


@pytest.fixture(scope="module")
def results(server, checkout_sdk_node) -> dict:
    return run_node(DRIVER, server.url, KEY, node_modules=checkout_sdk_node)


def ok(results: dict, name: str) -> dict:
    step = results[name]
    assert step["ok"], f"{name}: {step}"
    errors = response_errors(SCHEMAS[name], step["body"])
    assert not errors, errors
    return step["body"]


def failed(results: dict, name: str) -> dict:
    step = results[name]
    assert not step["ok"], f"{name} should have raised: {step}"
    return step["error"]


def test_face_authentication_methods(results, server):
    applicant = results["createApplicant"]["body"]
    fav = ok(results, "createFaceAuthentication")
    assert ID["fav"].match(fav["id"]) and fav["status"] == "created" and fav["applicant_id"] == applicant["id"]
    attempt = ok(results, "createFaceAuthenticationAttempt")
    assert ID["fatp"].match(attempt["id"]) and attempt["status"] == "pending_redirection"
    assert attempt["client_information"] == {"pre_selected_language": "en-GB"}
    assert attempt["_links"]["verification_url"]["href"].startswith(f"{server.url}/verify/")

    done = ok(results, "getFaceAuthentication")
    assert done["status"] == "approved" and done["response_codes"] == APPROVED
    listed = ok(results, "listFaceAuthenticationAttempts")
    assert listed["total_count"] == 1 and listed["data"] == [ok(results, "getFaceAuthenticationAttempt")]
    assert listed["data"][0]["status"] == "completed"
    assets = ok(results, "getFaceAuthenticationAttemptAssets")
    assert (assets["skip"], assets["limit"]) == (0, 5) and [a["type"] for a in assets["data"]] == ["face_image"]
    assert results["faceDownload"] == {"status": 200, "type": "image/png", "start": "\x89PNG\r"}
    anonymized = ok(results, "anonymizeFaceAuthentication")
    assert anonymized["id"] == fav["id"] and anonymized["status"] == "approved" and "face" not in anonymized

    mismatch = ok(results, "getDeclinedFaceAuthentication")  # the scenario named in the SDK's headers
    assert mismatch["status"] == "declined" and [c["code"] for c in mismatch["response_codes"]] == [62321]


@pytest.mark.parametrize(
    ("methods", "prefix", "attempt_prefix"),
    [("IDDocumentVerification", "iddv", "datp"), ("AddressDocumentVerification", "adv", "adva")],
)
def test_document_verification_methods(results, methods, prefix, attempt_prefix):
    created = ok(results, f"create{methods}")
    assert ID[prefix].match(created["id"]) and created["status"] == "created"
    attempt = ok(results, f"create{methods}Attempt")  # the files went as data URLs in the JSON body
    assert ID[attempt_prefix].match(attempt["id"]) and attempt["status"] == "quality_checks_in_progress"

    done = ok(results, f"get{methods}")
    assert done["status"] == "approved" and done["response_codes"] == APPROVED
    listed = ok(results, f"list{methods}Attempts")
    assert listed["total_count"] == 1 and listed["data"] == [ok(results, f"get{methods}Attempt")]
    assert listed["data"][0]["status"] == "completed"

    report = ok(results, f"get{methods}PDFReport")  # parsed JSON here, unlike the IDV method's Buffer
    assert report["pdf_report"].endswith("/report.pdf")
    assert results[f"{prefix}ReportDownload"] == {"status": 200, "type": "application/pdf", "start": "%PDF-"}

    anonymized = ok(results, f"anonymize{methods}")
    assert anonymized["id"] == created["id"] and anonymized["status"] == "approved"


def test_aml_screening_methods(results):
    created = ok(results, "createAMLVerification")
    assert ID["amlv"].match(created["id"]) and created["status"] == "created"
    assert created["search_parameters"] == {"configuration_identifier": "kycsim"}
    assert ok(results, "getAMLScreening")["status"] == "approved"

    review = ok(results, "createAMLReview")
    assert review["monitored"] is True
    assert ok(results, "getAMLReview")["status"] == "review_required"


def test_errors_reach_the_sdk_as_its_error_classes(results):
    for name, product in (("faceNotVerified", "face"), ("amlNotVerified", "aml")):
        error = failed(results, name)
        assert (error["name"], error["http_code"]) == ("ValidationError", 422), product
        assert error["body"]["error_codes"] == ["applicant_id__not_verified"], product
    for name, code in (
        ("faceWithoutJourney", "user_journey_id__required"),
        ("faceBadJourney", "user_journey_id__invalid"),
    ):
        error = failed(results, name)
        assert (error["name"], error["http_code"], error["body"]["error_codes"]) == ("ValidationError", 422, [code])
    for name, code in (
        ("faceNotFound", "face_authentication_not_found"),
        ("amlNotFound", "aml_verification_not_found"),
    ):
        error = failed(results, name)
        assert (error["name"], error["http_code"]) == ("NotFoundError", 404)
        assert error["body"]["error_type"] == "resource_not_found" and error["body"]["error_codes"] == [code]
    upload = failed(results, "badUpload")
    assert (upload["name"], upload["http_code"]) == ("ValidationError", 422)
    assert upload["body"]["error_codes"] == ["document_front__invalid_format"]


def test_the_sdk_headers_picked_each_scenario(server):
    entries = server.sim.journal.query(tenant=KEY, method="POST", limit=1000)
    picked = {(e["path"], e["scenario"]) for e in entries if e["status"] == 201 and e["path"].count("/") == 1}
    assert picked - {("/applicants", None)} == {
        ("/identity-verifications", "idv-approved"),
        ("/face-authentications", "fa-approved"),
        ("/face-authentications", "fa-declined-62321"),
        ("/id-document-verifications", "iddv-approved"),
        ("/address-document-verifications", "adv-approved"),
        ("/aml-verifications", "aml-approved"),
        ("/aml-verifications", "aml-review-required"),
    }
