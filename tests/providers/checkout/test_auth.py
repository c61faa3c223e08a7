from __future__ import annotations

import base64
import hashlib
import hmac
import json

import pytest

from simulator.providers.checkout.auth import credential_of
from simulator.providers.checkout.errors import Unauthorized
from simulator.providers.checkout.oauth import issue, signing_key

KEY = signing_key(42, None)
MINE = issue("me", [], 1, KEY)


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


@pytest.mark.parametrize(
    "header",
    [
        "Bearer sk_sbox_m73dzbpy7cf3gfd46xr4yj5xo4e",
        "Bearer sk_m73dzbpy7cf3gfd46xr4yj5xo4e",
        "bearer sk_sbox_test",
    ],
)
def test_accepted_credentials(header):
    assert credential_of(header, KEY) == header.split(" ", 1)[1]


def test_a_token_kycsim_issued_is_its_clients_tenant():
    token = issue("ack_client", ["identity-verification"], 1_700_000_000, KEY)
    assert credential_of(f"Bearer {token}", KEY) == "oauth:ack_client"


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "Bearer",
        "Bearer   ",
        "sk_sbox_m73dzbpy7cf3gfd46xr4yj5xo4e",
        "Basic dXNlcjpwYXNz",
        "Bearer pk_sbox_m73dzbpy7cf3gfd46xr4yj5xo4e",
        "Bearer not a key",
        "Bearer sk_sbox_" + "a" * 300,
        "Bearer sk_sbox_\xe9\xff",
        "Bearer \x00\x01",
    ],
)
def test_rejected_credentials(header):
    with pytest.raises(Unauthorized):
        credential_of(header, KEY)


@pytest.mark.parametrize(
    "token",
    [
        # unsigned, as anyone could write one for another client id
        f"{_b64({'alg': 'none'})}.{_b64({'client_id': 'victim', 'scope': 'identity-verification'})}.",
        # signed, but not by kycsim
        "eyJhbGciOiJSUzI1NiJ9.eyJzY29wZSI6ImlkZW50aXR5LXZlcmlmaWNhdGlvbiJ9.c2lnbmF0dXJl",
        # kycsim's token with the payload swapped for another client's
        ".".join(part if i != 1 else _b64({"client_id": "victim"}) for i, part in enumerate(MINE.split("."))),
        # issued under another key (another seed or control token)
        issue("ack_client", ["identity-verification"], 1, signing_key(43, None)),
        # a deeply nested payload: refused without parsing it
        f"{_b64({'alg': 'HS256'})}.{base64.urlsafe_b64encode(b'[' * 5000 + b']' * 5000).decode().rstrip('=')}.c2ln",
    ],
)
def test_forged_oauth_tokens_are_refused(token):
    with pytest.raises(Unauthorized):
        credential_of(f"Bearer {token}", KEY)


def test_a_forged_token_gets_the_bodiless_401_over_http(client):
    forged = f"{_b64({'alg': 'none'})}.{_b64({'client_id': 'victim', 'scope': 'identity-verification'})}.x"
    response = client.get("/applicants/aplt_tkoi5db4hryu5cei5vwoabr7we", headers={"Authorization": f"Bearer {forged}"})
    assert response.status_code == 401
    assert response.content == b""
    assert response.headers["cko-request-id"]


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
    other.call(
        "POST",
        "/identity-verifications",
        status=404,
        json={"applicant_id": applicant["id"], "declared_data": {"name": "Eve Other"}},
    )
    assert api.get_idv(idv["id"])["status"] == "approved"


# Found unpinned by mutation testing (benchmarks/mutation.py).


def signed(claims: dict) -> str:
    """An HS256 JWS (RFC 7515) over ``claims`` with the server's key, built here rather than by oauth.issue."""
    header, payload = _b64({"alg": "HS256", "typ": "at+jwt"}), _b64(claims)
    digest = hmac.new(KEY, f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{base64.urlsafe_b64encode(digest).rstrip(b'=').decode()}"


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        (None, "authorization_required"),
        ("", "authorization_required"),
        ("Basic dXNlcjpwYXNz", "authorization_invalid"),
        ("Basic sk_sbox_m73dzbpy7cf3gfd46xr4yj5xo4e", "authorization_invalid"),  # a key, but not as Bearer
        ("Bearer sk_sbox_" + "a" * 249, "authorization_invalid"),  # 257 characters
        ("Bearer pk_sbox_m73dzbpy7cf3gfd46xr4yj5xo4e", "authorization_invalid"),
        ("Bearer a.b.c", "token_invalid"),
        (f"Bearer {signed({'client_id': 'me', 'scope': 'vault'})}", "scope_invalid"),
        (f"Bearer {signed({'client_id': 'me', 'scope': ''})}", "scope_invalid"),
        (f"Bearer {signed({'scope': 'identity-verification'})}", "token_invalid"),
        (f"Bearer {signed({'client_id': '', 'scope': 'identity-verification'})}", "token_invalid"),
        (f"Bearer {signed({'client_id': 7, 'scope': 'identity-verification'})}", "token_invalid"),
    ],
    ids=[
        "none",
        "empty",
        "basic",
        "basic-key",
        "key-too-long",
        "public-key",
        "forged",
        "other-scope",
        "no-scopes",
        "no-client",
        "blank-client",
        "number-client",
    ],
)
def test_each_refusal_says_why(header, reason):
    with pytest.raises(Unauthorized) as refused:
        credential_of(header, KEY)
    assert refused.value.error_codes == [reason]


def test_credentials_at_the_length_limits_and_a_token_without_scopes():
    longest_key = "sk_sbox_" + "a" * 248
    assert len(longest_key) == 256 and credential_of(f"Bearer {longest_key}", KEY) == longest_key
    assert credential_of(f"Bearer {signed({'client_id': 'me'})}", KEY) == "oauth:me"  # scopes not stated
    token = next(t for n in range(2500, 3200) if len(t := signed({"client_id": "me", "pad": "x" * n})) == 4096)
    assert credential_of(f"Bearer {token}", KEY) == "oauth:me"
    longer = next(t for n in range(2500, 3200) if len(t := signed({"client_id": "me", "pad": "x" * n})) == 4097)
    with pytest.raises(Unauthorized):
        credential_of(f"Bearer {longer}", KEY)
