"""Garbage in never gets a 500: every answer is the provider's envelope."""

from __future__ import annotations

import pytest

from simulator.providers.checkout.schemas import response_errors

GARBAGE = [
    b"null", b'"text"', b"42", b"[]", b"\xff\xfe{", b'{"declared_data": "Hannah"}',
    b'{"declared_data": {"name": ["Hannah"]}, "applicant_id": 5}',
    b'{"applicant_id": "aplt_x", "declared_data": {"name": "Al Bo", "address": "1 Main St", "phone_number": 33}}',
    b'{"redirect_url": 12, "client_information": [], "phone_number": {"country_code": 33, "number": 1}}',
    b'{"email": {"a": 1}, "external_applicant_name": false, "external_applicant_id": 1e309}',
    b'{"declared_data": {"name": "' + b"x" * 5000 + b'"}, "redirect_url": "https://a.b"}',
]  # fmt: skip


@pytest.fixture
def paths(api):
    idv = api.idv()
    return ["/applicants", f"/applicants/{idv['applicant_id']}", "/identity-verifications", "/create-and-open-idv",
            f"/identity-verifications/{idv['id']}/attempts"]  # fmt: skip


def test_garbage_bodies(api, paths):
    for path in paths:
        method = "PATCH" if path.count("/") == 2 and path.startswith("/applicants/") else "POST"
        for body in GARBAGE:
            response = api.client.request(method, path, content=body, headers={
                "Authorization": f"Bearer {api.key}", "Content-Type": "application/json"})  # fmt: skip
            assert response.status_code < 500, (path, body, response.status_code, response.text)
            if response.status_code >= 400:  # unknown fields are ignored, so some bodies are fine
                assert not response_errors("error.response", response.json()), response.text


@pytest.mark.parametrize("query", ["skip=-1", "limit=abc", "limit=1000", "skip=1e3"])
def test_bad_pagination(api, query):
    idv = api.idv()
    body = api.call("GET", f"/identity-verifications/{idv['id']}/attempts?{query}", status=400)
    assert body["error_type"] == "invalid_request"


def test_odd_ids_are_404(api):
    for odd in ("idv_", "%00", "idv_" + "a" * 500, "..%2f..%2fetc"):
        assert api.client.get(f"/identity-verifications/{odd}", headers={
            "Authorization": f"Bearer {api.key}"}).status_code == 404  # fmt: skip
