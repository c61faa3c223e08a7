"""Bad input on every Sumsub route gets Sumsub's envelope (4xx), never a 500 or a traceback."""

from __future__ import annotations

import time

import pytest

from simulator.providers.sumsub.routes import api_operations
from tests.providers.sumsub.support import assert_valid

BODIES = [b"", b"[]", b"null", b"{", b'{"externalUserId": 5}', b'{"paymentMethod": "x", "externalActionId": []}']


def _paths(applicant_id: str, action_id: str, inspection_id: str):
    for route in api_operations():
        method = route.method
        for value in (applicant_id, "nope", "0123456789abcdef01234567", "-;foo=bar", "-;externalUserId="):
            path = route.path.replace("{applicant_id:path}", value)
            for name in ("applicant_id", "action_id", "image_id", "selector", "level_name", "action_type"):
                path = path.replace("{" + name + "}", value if name != "action_id" else action_id)
            path = path.replace("{inspection_id}", inspection_id)
            yield method, path


@pytest.mark.parametrize("body", BODIES)
def test_garbage_never_gets_a_500(api, flow, body):
    applicant = flow.applicant()
    action = flow.action(applicant["id"])
    for method, path in _paths(applicant["id"], action["id"], applicant["inspectionId"]):
        for query in ("", "?limit=-1&offset=x&levelName=&ttlInSecs=abc&type=NOPE"):
            response = api.request(method, path + query, content=body, headers={"Content-Type": "application/json"})
            assert response.status_code < 500, (method, path + query, body, response.text)
            if response.status_code >= 400 and response.headers["content-type"].startswith("application/json"):
                assert_valid("error", response.json())


def test_multipart_garbage(api, flow):
    applicant = flow.applicant()
    action = flow.action(applicant["id"])
    for url in (
        f"/resources/applicants/{applicant['id']}/info/idDoc",
        f"/resources/applicantActions/{action['id']}/images",
    ):
        for files in (
            {"metadata": (None, "not json")},
            {"metadata": (None, "[1]")},
            {"metadata": (None, '{"idDocType": "PASSPORT", "country": 7}')},
            {"content": ("a.png", b"\x89PNG\r\n\x1a\n")},
        ):
            response = api.post(url, files=files)
            assert response.status_code == 400, (url, files, response.text)
            assert_valid("error", response.json())
        broken = api.post(url, content=b"--x\r\nnope", headers={"Content-Type": "multipart/form-data; boundary=x"})
        assert broken.status_code == 400


JSON_ENDPOINTS = [
    ("/resources/applicants?levelName=basic-kyc-level", {"externalUserId": "u-415"}),
    ("/resources/accessTokens/sdk", {"userId": "u", "levelName": "l"}),
    ("/resources/sdkIntegrations/levels/-/websdkLink", {"levelName": "l", "userId": "u"}),
    ("/resources/sdkIntegrations/levels/l/websdkLink?externalUserId=u", {"email": "a@example.com"}),
]


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"])
def test_a_json_endpoint_sent_another_media_type_answers_415_in_sumsubs_envelope(api, flow, content_type):
    import json

    applicant = flow.applicant()
    action = flow.action(applicant["id"])
    endpoints = [
        *JSON_ENDPOINTS,
        (f"/resources/applicants/{applicant['id']}/status/testCompleted", {"reviewAnswer": "GREEN"}),
        (
            f"/resources/applicantActions/-/forApplicant/{applicant['id']}?levelName=l",
            {"externalActionId": "a", "email": "e@x.io"},
        ),
        (f"/resources/applicantActions/{action['id']}/paymentMethod", {"type": "bankCard"}),
    ]
    for path, body in endpoints:
        response = api.post(path, content=json.dumps(body).encode(), headers={"Content-Type": content_type})
        assert response.status_code == 415, (path, response.text)
        error = response.json()
        assert_valid("error", error)
        assert error["description"] == "HTTP 415 Unsupported Media Type" and error["code"] == 415
        assert set(error) == {"description", "code", "correlationId"}
    assert api.get(f"/resources/applicants/{applicant['id']}/one").json()["review"]["reviewStatus"] == "init"


def test_json_media_types_and_a_missing_header_are_read_as_json(api):
    for n, headers in enumerate(
        [{"Content-Type": "application/json; charset=utf-8"}, {"Content-Type": "Application/JSON"}, {}]
    ):
        body = f'{{"externalUserId": "media-{n}"}}'.encode()
        response = api.post("/resources/applicants?levelName=l", content=body, headers=headers)
        assert response.status_code == 201, (headers, response.text)


def test_multipart_endpoints_keep_taking_multipart(api, flow):
    applicant = flow.applicant()
    assert flow.upload(applicant["id"], "PASSPORT").status_code == 200
    response = api.post(
        f"/resources/applicants/{applicant['id']}/info/idDoc",
        content=b'{"idDocType": "PASSPORT"}',
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 400 and "multipart" in response.json()["description"]


# Poison: a value that could be stored but never written back out is refused before anything is stored.


@pytest.mark.parametrize(
    "body",
    [
        b'{"externalUserId": "poison-1", "email": "\\ud800@example.com"}',
        b'{"externalUserId": "poison-1", "email": "a@example.com", "fixedInfo": {"firstName": "\\udc00"}}',
        b'{"externalUserId": "poison-1", "metadata": [{"key": "k", "value": NaN}]}',
    ],
)
def test_a_refused_applicant_can_be_created_again_and_read(api, body):
    refused = api.post(
        "/resources/applicants?levelName=basic-kyc-level", content=body, headers={"Content-Type": "application/json"}
    )
    assert refused.status_code == 400
    assert_valid("error", refused.json())
    created = api.post("/resources/applicants?levelName=basic-kyc-level", json={"externalUserId": "poison-1"})
    assert created.status_code == 201, created.text
    assert api.get(f"/resources/applicants/{created.json()['id']}/one").status_code == 200
    assert api.get("/resources/applicants/-;externalUserId=poison-1/one").status_code == 200


@pytest.mark.parametrize("header", ["é" * 64, "\x00" * 64, "ff" * 32 + "\xff", "z"])
def test_an_odd_signature_header_gets_4003(raw, header):
    from tests.providers.sumsub.support import TOKEN

    response = raw.get(
        "/resources/applicants/0123456789abcdef01234567/one",
        headers={
            "X-App-Token": TOKEN,
            "X-App-Access-Ts": str(int(time.time())),
            "X-App-Access-Sig": header.encode("latin-1"),
        },
    )
    assert response.status_code == 401
    assert response.json()["errorCode"] == 4003


@pytest.mark.parametrize("ttl", ["99999999999999999999", "31536001", "-5", "1e3", "²"])
def test_out_of_range_ttls_are_refused(api, ttl):
    response = api.post(f"/resources/accessTokens?userId=u1&levelName=basic-kyc-level&ttlInSecs={ttl}")
    assert response.status_code == 400, response.text
    for body in (
        {"userId": "u1", "levelName": "l", "ttlInSecs": 10**15},
        {"userId": "u1", "levelName": "l", "ttlInSecs": 1e300},
    ):
        assert api.post("/resources/accessTokens/sdk", json=body).status_code == 400


def test_a_body_over_the_cap_gets_a_413_in_sumsubs_envelope(api, flow):
    applicant = flow.applicant()
    big = b'{"externalUserId": "' + b"x" * (2 * 1024 * 1024) + b'"}'
    response = api.post(
        "/resources/applicants?levelName=basic-kyc-level", content=big, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
    body = response.json()
    assert body["code"] == 413 and body["description"] == "HTTP 413 Request Entity Too Large"
    assert_valid("error", body)
    assert api.get(f"/resources/applicants/{applicant['id']}/one").status_code == 200
