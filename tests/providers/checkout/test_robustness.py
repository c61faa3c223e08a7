"""Garbage in never gets a 500: every answer is the provider's envelope."""

from __future__ import annotations

import pytest

from simulator.providers.checkout.schemas import response_errors

GARBAGE = [
    b"null",
    b'"text"',
    b"42",
    b"[]",
    b"\xff\xfe{",
    b'{"declared_data": "Hannah"}',
    b'{"declared_data": {"name": ["Hannah"]}, "applicant_id": 5}',
    b'{"applicant_id": "aplt_x", "declared_data": {"name": "Al Bo", "address": "1 Main St", "phone_number": 33}}',
    b'{"redirect_url": 12, "client_information": [], "phone_number": {"country_code": 33, "number": 1}}',
    b'{"email": {"a": 1}, "external_applicant_name": false, "external_applicant_id": 1e309}',
    b'{"declared_data": {"name": "' + b"x" * 5000 + b'"}, "redirect_url": "https://a.b"}',
]


@pytest.fixture
def paths(api):
    idv = api.idv()
    return [
        "/applicants",
        f"/applicants/{idv['applicant_id']}",
        "/identity-verifications",
        "/create-and-open-idv",
        f"/identity-verifications/{idv['id']}/attempts",
    ]


def test_garbage_bodies(api, paths):
    for path in paths:
        method = "PATCH" if path.count("/") == 2 and path.startswith("/applicants/") else "POST"
        for body in GARBAGE:
            response = api.client.request(
                method,
                path,
                content=body,
                headers={"Authorization": f"Bearer {api.key}", "Content-Type": "application/json"},
            )
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
        assert (
            api.client.get(f"/identity-verifications/{odd}", headers={"Authorization": f"Bearer {api.key}"}).status_code
            == 404
        )


# Poison: a value that could be stored but never written back out is refused before anything is stored.

UNSTORABLE = [
    b'{"email": "\\ud800@example.com"}',
    b'{"external_applicant_name": "Hannah \\udfff"}',
    b'{"email": "a@example.com", "external_applicant_name": NaN}',
    b'{"external_applicant_name": ' + b"[" * 1000 + b"]" * 1000 + b"}",
]


@pytest.mark.parametrize("body", UNSTORABLE)
def test_a_refused_patch_leaves_the_applicant_readable(api, body):
    applicant = api.applicant(email="hannah@example.com")
    response = api.client.patch(
        f"/applicants/{applicant['id']}",
        content=body,
        headers={"Authorization": f"Bearer {api.key}", "Content-Type": "application/json"},
    )
    assert response.status_code == 400, response.text
    assert response.json()["error_codes"] == ["request_body__invalid_json"]
    again = api.call("GET", f"/applicants/{applicant['id']}")
    assert again["email"] == "hannah@example.com"


@pytest.mark.parametrize("body", UNSTORABLE)
def test_a_refused_create_stores_nothing(api, body):
    response = api.client.post(
        "/applicants", content=body, headers={"Authorization": f"Bearer {api.key}", "Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert api.sim.store.list(api.key, "checkout", "applicants") == []


def test_a_body_over_the_cap_gets_the_413_envelope(make_api):
    api = make_api(max_body_bytes=4096)
    response = api.client.post(
        "/applicants",
        content=b'{"email": "' + b"x" * 5000 + b'"}',
        headers={"Authorization": f"Bearer {api.key}", "Content-Type": "application/json"},
    )
    assert response.status_code == 413
    body = response.json()
    assert body["error_type"] == "request_entity_too_large"
    assert body["error_codes"] == ["request_body__too_large"]
    assert body["request_id"] == response.headers["cko-request-id"]
    assert not response_errors("error.response", body)
