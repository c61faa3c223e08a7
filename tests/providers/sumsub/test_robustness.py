"""Bad input on every Sumsub route gets Sumsub's envelope (4xx), never a 500 or a traceback."""

from __future__ import annotations

import pytest

from simulator.providers.sumsub.routes import api_routes
from tests.providers.sumsub.support import assert_valid

BODIES = [b"", b"[]", b"null", b"{", b'{"externalUserId": 5}', b'{"paymentMethod": "x", "externalActionId": []}']


def _paths(applicant_id: str, action_id: str, inspection_id: str):
    for route in api_routes():
        method = next(iter(route.methods - {"HEAD"}))
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
