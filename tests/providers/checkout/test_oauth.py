"""``POST /connect/token`` (OAuth client credentials) and the tokens it issues, bodies included.

Error bodies follow RFC 6749 section 5.2 (``error`` with a registered code, optionally
``error_description``/``error_uri``); the success body section 5.1. Identity calls with a
token that lacks the ``identity-verification`` scope get Checkout.com's bodiless 401.
"""

from __future__ import annotations

import base64
import json

import pytest

RFC6749_ERROR_FIELDS = {"error", "error_description", "error_uri"}
CLIENT = {"client_id": "ack_kycsimoauthclient", "client_secret": "kycsim-client-secret"}


def claims_of(token: str) -> dict:
    """The claims of a JWT (RFC 7519: base64url JSON between the first two dots)."""
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def token_call(client, form: dict, headers: dict | None = None):
    return client.post("/connect/token", data=form, headers=headers or {})


def assert_oauth_error(response, status: int, error: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body["error"] == error and set(body) <= RFC6749_ERROR_FIELDS, body


def test_client_credentials_get_a_bearer_token(client):
    response = token_call(client, {"grant_type": "client_credentials", "scope": "identity-verification", **CLIENT})
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body["token_type"] == "Bearer" and body["scope"] == "identity-verification"
    assert isinstance(body["expires_in"], int) and body["expires_in"] > 0
    claims = claims_of(body["access_token"])
    assert claims["client_id"] == CLIENT["client_id"] and claims["scope"] == "identity-verification"
    assert claims["exp"] - claims["iat"] == body["expires_in"]


def test_the_client_may_authenticate_with_http_basic(client):
    basic = base64.b64encode(f"{CLIENT['client_id']}:{CLIENT['client_secret']}".encode()).decode()
    response = token_call(client, {"grant_type": "client_credentials"}, {"Authorization": f"Basic {basic}"})
    assert response.status_code == 200
    assert claims_of(response.json()["access_token"])["client_id"] == CLIENT["client_id"]


@pytest.mark.parametrize("grant_type", ["password", "authorization_code", "", None])
def test_another_grant_type_is_unsupported_grant_type(client, grant_type):
    form = {**CLIENT, **({"grant_type": grant_type} if grant_type is not None else {})}
    assert_oauth_error(token_call(client, form), 400, "unsupported_grant_type")


@pytest.mark.parametrize(
    "form",
    [{}, {"client_id": "ack_x"}, {"client_secret": "s"}, {"client_id": "", "client_secret": "s"}],
    ids=["no-client", "no-secret", "no-id", "blank-id"],
)
def test_missing_client_credentials_are_invalid_client(client, form):
    assert_oauth_error(token_call(client, {"grant_type": "client_credentials", **form}), 401, "invalid_client")


def _token(client, scope: str, client_id: str = CLIENT["client_id"]) -> str:
    form = {"grant_type": "client_credentials", "scope": scope, "client_id": client_id, "client_secret": "s"}
    return token_call(client, form).json()["access_token"]


def test_a_token_is_its_clients_tenant_and_only_with_the_identity_scope(client):
    token = _token(client, "identity-verification vault")
    created = client.post("/applicants", json={"email": "o@example.com"}, headers={"Authorization": f"Bearer {token}"})
    assert created.status_code == 201
    path = f"/applicants/{created.json()['id']}"
    again = _token(client, "identity-verification")  # a refreshed token: same client, same data
    assert client.get(path, headers={"Authorization": f"Bearer {again}"}).json()["email"] == "o@example.com"
    stranger = _token(client, "identity-verification", client_id="ack_someoneelse")
    assert client.get(path, headers={"Authorization": f"Bearer {stranger}"}).status_code == 404
    for scope in ("vault", ""):
        refused = client.get(path, headers={"Authorization": f"Bearer {_token(client, scope)}"})
        assert refused.status_code == 401 and refused.content == b"" and refused.headers["cko-request-id"]


def test_a_token_outlives_a_restart_on_the_sqlite_store_whatever_the_seed_then(make_api, tmp_path):
    store = f"sqlite:///{tmp_path / 'kycsim.db'}"
    first = make_api(store=store, seed=1)
    token = _token(first.client, "identity-verification")
    created = first.client.post(
        "/applicants", json={"email": "o@example.com"}, headers={"Authorization": f"Bearer {token}"}
    )
    first.client.__exit__(None, None, None)
    again = make_api(store=store, seed=2)  # a random seed at each start, say
    read = again.client.get(f"/applicants/{created.json()['id']}", headers={"Authorization": f"Bearer {token}"})
    assert read.status_code == 200 and read.json()["email"] == "o@example.com"
    fresh = make_api(store=f"sqlite:///{tmp_path / 'other.db'}", seed=2)
    assert fresh.client.get("/applicants/x", headers={"Authorization": f"Bearer {token}"}).status_code == 401
