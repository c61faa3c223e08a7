"""Sumsub's error envelope, checked against the documents (``tests/facts/sumsub.yaml``).

Every error is ``{description, code, correlationId}`` with ``code`` the HTTP status, plus
``errorCode``/``errorName`` for the coded ones (docs.sumsub.com/reference/review-api-health); the
codes' names and statuses are the published table's. Where Sumsub publishes no wording (routing
errors, unreadable bodies) the wording is kycsim's, written down in the provider's LIMITATIONS.
"""

from __future__ import annotations

import re

import pytest
from starlette.testclient import TestClient

from simulator.app import create_app
from simulator.providers.sumsub.errors import SumsubError
from simulator.providers.sumsub.state import SumsubState
from tests.facts import sumsub
from tests.providers.sumsub.conftest import Flow, Signed, sumsub_settings
from tests.providers.sumsub.support import assert_error

FACTS = sumsub()
CORRELATION_ID = re.compile(r"^[0-9a-f]{32}$")  # the fact sheet's examples: 32 hex
PATH = "/resources/applicants?levelName=basic-kyc-level"


def plain_error(response, status: int) -> dict:
    """An uncoded error: exactly the three documented fields, ``code`` the HTTP status."""
    body = assert_error(response, status)
    assert list(body) == FACTS["error_fields"], body
    assert CORRELATION_ID.match(body["correlationId"]), body
    return body


@pytest.mark.parametrize("error_code", sorted(FACTS["error_codes"]))
def test_every_published_error_code_has_its_name_and_http_status(error_code):
    name, status = FACTS["error_codes"][error_code]
    error = SumsubError.coded(error_code)
    body = error.envelope("f677f38a9998b13c572a2a0000000000")
    assert error.status == status
    assert list(body) == FACTS["coded_error_fields"]
    assert body["code"] == status and body["errorCode"] == error_code and body["errorName"] == name
    assert body["correlationId"] == "f677f38a9998b13c572a2a0000000000" and body["description"]
    # A handler may say more than the table's default; the code and name stay.
    assert SumsubError.coded(error_code, "said otherwise").envelope(None)["description"] == "said otherwise"


def test_a_coded_error_over_http_carries_all_five_fields_in_the_documented_order(raw):
    response = raw.get("/resources/applicants/0123456789abcdef01234567/one", headers={"X-App-Token": "x"})
    body = assert_error(response, 401, 4006)
    assert list(body) == FACTS["coded_error_fields"]
    assert CORRELATION_ID.match(body["correlationId"])


def test_each_error_gets_a_fresh_correlation_id(api):
    seen = {plain_error(api.get("/resources/applicants/123/one"), 400)["correlationId"] for _ in range(3)}
    assert len(seen) == 3


def test_an_id_that_is_not_an_object_id_is_the_documented_400(api):
    example = FACTS["invalid_id_example"]
    body = plain_error(api.get(f"/resources/applicants/{example['path_id']}/one"), example["code"])
    assert body["description"] == example["description"]


def test_a_duplicate_external_user_id_is_409_naming_the_applicant(api):
    first = api.post(PATH, json={"externalUserId": "twice"}).json()
    body = plain_error(api.post(PATH, json={"externalUserId": "twice"}), 409)
    assert body["description"] == FACTS["duplicate_external_user_id"].format(
        external_user_id="twice", applicant_id=first["id"]
    )


# Routing errors and failures: the envelope, kycsim's wording (LIMITATIONS), no errorCode.


def test_an_unknown_path_is_404_in_sumsubs_envelope_and_journalled_as_sumsub(api, raw):
    body = plain_error(api.get("/resources/nothingHere/one"), 404)
    assert body["description"] == "Not found"
    journalled = raw.get("/_sim/requests", params={"path": "/resources/nothingHere"}).json()["data"]
    assert [(r["status"], r["provider"]) for r in journalled] == [(404, "sumsub")]


def test_a_known_path_with_another_method_is_405(api):
    for method, path in (
        ("POST", "/resources/applicants/0123456789abcdef01234567/one"),
        ("PUT", "/resources/applicants"),
    ):
        assert plain_error(api.request(method, path), 405)["description"] == "Method not allowed"


def test_an_unexpected_failure_is_a_500_that_keeps_its_cause_to_itself(api, monkeypatch):
    def broken(self) -> str:
        raise RuntimeError("the disk is on fire at /var/lib/kycsim")

    monkeypatch.setattr(SumsubState, "object_id", broken)
    body = plain_error(api.post(PATH, json={"externalUserId": "doomed"}), 500)
    assert body["description"] == "Error"


# Bodies kycsim cannot read: Sumsub's envelope, a description that says what is wrong.


@pytest.mark.parametrize(
    ("content", "description"),
    [
        (b"", "Request body is empty: a JSON object is expected"),
        (b"[1, 2]", "Request body must be a JSON object"),
        (b'"text"', "Request body must be a JSON object"),
    ],
)
def test_a_body_that_is_not_a_json_object_is_400(api, content, description):
    response = api.post(PATH, content=content, headers={"Content-Type": "application/json"})
    assert plain_error(response, 400)["description"] == description


def test_broken_json_is_400_with_the_parsers_position(api):
    response = api.post(PATH, content=b'{"externalUserId": ', headers={"Content-Type": "application/json"})
    description = plain_error(response, 400)["description"]
    assert description.startswith("Request body is not valid JSON: ") and "line 1 column 20" in description
    assert description.count("not valid JSON") == 1, "said once"


def test_a_body_that_breaks_the_schema_is_400_naming_the_field(api):
    body = plain_error(api.post(PATH, json={"externalUserId": 5}), 400)
    assert body["description"] == "Invalid request: externalUserId: 5 is not of type 'string'"


@pytest.fixture
def capped():
    """A simulator whose caps are small enough to cross in a test: 4 KiB uploads, 1 KiB JSON bodies."""
    app = create_app(sumsub_settings(max_upload_bytes=4096, max_body_bytes=1024))
    with TestClient(app) as raw:
        yield Flow(Signed(raw))


def test_an_upload_over_the_cap_is_1002_file_too_big_and_a_json_body_over_it_is_413(capped):
    applicant = capped.applicant()
    action = capped.action(applicant["id"])
    name, status = FACTS["error_codes"][1002]
    meta = '{"idDocType": "PASSPORT", "country": "GBR"}'
    files = {"metadata": (None, meta), "content": ("big.png", b"\x89PNG\r\n\x1a\n" + b"0" * 8192, "image/png")}
    for url in (
        f"/resources/applicants/{applicant['id']}/info/idDoc",
        f"/resources/applicantActions/{action['id']}/images",
    ):
        body = assert_error(capped.client.post(url, files=files), status, 1002)
        assert body["errorName"] == name
    big = {"externalUserId": "x" * 2048}
    body = plain_error(capped.client.post(PATH, json=big), 413)
    assert body["description"] == "HTTP 413 Request Entity Too Large"
