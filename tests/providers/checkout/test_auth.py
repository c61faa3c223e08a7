from __future__ import annotations

import pytest

from simulator.providers.checkout.auth import credential_of
from simulator.providers.checkout.errors import Unauthorized


@pytest.mark.parametrize(
    "header",
    [
        "Bearer sk_sbox_m73dzbpy7cf3gfd46xr4yj5xo4e",
        "Bearer sk_m73dzbpy7cf3gfd46xr4yj5xo4e",
        "bearer sk_sbox_test",
        "Bearer eyJhbGciOiJSUzI1NiJ9.eyJzY29wZSI6ImlkZW50aXR5LXZlcmlmaWNhdGlvbiJ9.c2lnbmF0dXJl",
    ],
)
def test_accepted_credentials(header):
    assert credential_of(header) == header.split(" ", 1)[1]


@pytest.mark.parametrize(
    "header",
    [None, "", "Bearer", "Bearer   ", "sk_sbox_m73dzbpy7cf3gfd46xr4yj5xo4e", "Basic dXNlcjpwYXNz",
     "Bearer pk_sbox_m73dzbpy7cf3gfd46xr4yj5xo4e", "Bearer not a key"],
)  # fmt: skip
def test_rejected_credentials(header):
    with pytest.raises(Unauthorized):
        credential_of(header)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/applicants"),
        ("GET", "/applicants/aplt_tkoi5db4hryu5cei5vwoabr7we"),
        ("POST", "/identity-verifications"),
        ("GET", "/identity-verifications/idv_tkoi5db4hryu5cei5vwoabr7we/attempts"),
        ("POST", "/create-and-open-idv"),
    ],
)
def test_401_has_no_body_but_a_request_id(client, method, path):
    for headers in ({}, {"Authorization": "Bearer pk_sbox_m73dzbpy7cf3gfd46xr4yj5xo4e"}):
        response = client.request(method, path, headers=headers, json={})
        assert response.status_code == 401
        assert response.content == b""
        assert response.headers["cko-request-id"]


def test_tenants_do_not_see_each_other(api, other):
    applicant = api.applicant(email="a@example.com")
    idv = api.idv(applicant["id"])
    attempt = api.attempt(idv["id"])
    api.advance(200)
    assert other.call("GET", f"/applicants/{applicant['id']}", status=404)["error_codes"] == ["applicant_not_found"]
    other.call("PATCH", f"/applicants/{applicant['id']}", json={"email": "x@example.com"}, status=404)
    body = other.call("GET", f"/identity-verifications/{idv['id']}", status=404)
    assert body["error_codes"] == ["identity_verification_not_found"]
    other.call("GET", f"/identity-verifications/{idv['id']}/attempts", status=404)
    other.call("GET", f"/identity-verifications/{idv['id']}/attempts/{attempt['id']}", status=404)
    other.call(
        "POST", f"/identity-verifications/{idv['id']}/attempts", json={"redirect_url": "https://a.b"}, status=404
    )
    other.call("GET", f"/identity-verifications/{idv['id']}/pdf-report", status=404)
    other.call("POST", f"/identity-verifications/{idv['id']}/anonymize", status=404)
    other.call("POST", "/identity-verifications", status=404,
               json={"applicant_id": applicant["id"], "declared_data": {"name": "Eve Other"}})  # fmt: skip
    assert api.get_idv(idv["id"])["status"] == "approved"
