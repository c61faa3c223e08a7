"""``POST /connect/token``: OAuth client credentials, as ``access.checkout.com`` answers the SDKs.

The official SDKs' OAuth mode posts ``grant_type=client_credentials`` (form body, client id and
secret also as HTTP Basic) to the environment's authorization URI and then sends the access
token as ``Bearer``. kycsim issues a JWT-shaped token naming the client and scopes, signed with
HMAC-SHA256 under a key of its own; every token of one client id is the same tenant
(``oauth:<client_id>``), so refreshing a token keeps the data. Identity calls accept only tokens
kycsim signed (a forged or foreign token gets the bodiless 401), and refuse a token whose scopes
do not include ``identity-verification``.

The key is derived from the seed and, when one is set, the control token: the same seed gives the
same tokens (so bodies repeat), and a simulator exposed with a control token has a key nobody
outside can work out. A SQLite store keeps the key it was first opened with, so tokens outlive a
restart whatever the seed and the control token are then.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from simulator.bodies import BodyError, body_limit, parse_json, read_form

IDENTITY_SCOPE = "identity-verification"
TOKEN_LIFETIME = 3600


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def issue(client_id: str, scopes: list[str], issued_at: int, key: bytes) -> str:
    header = _b64(json.dumps({"alg": "HS256", "typ": "at+jwt", "kid": "kycsim"}).encode())
    claims = {
        "iss": "kycsim",
        "client_id": client_id,
        "scope": " ".join(scopes),
        "iat": issued_at,
        "exp": issued_at + TOKEN_LIFETIME,
    }
    payload = _b64(json.dumps(claims, separators=(",", ":")).encode())
    signature = _b64(hmac.new(key, f"{header}.{payload}".encode(), hashlib.sha256).digest())
    return f"{header}.{payload}.{signature}"


MAX_TOKEN_CHARS = 4096


def signing_key(seed: int | None, control_token: str | None) -> bytes:
    return hashlib.sha256(f"kycsim-oauth:{seed}:{control_token or ''}".encode()).digest()


def verified_claims(token: str, key: bytes) -> dict[str, Any] | None:
    """The claims of a token kycsim signed with ``key``, or None (forged, foreign, malformed)."""
    if len(token) > MAX_TOKEN_CHARS or token.count(".") != 2:
        return None
    header, payload, signature = token.split(".")
    expected = _b64(hmac.new(key, f"{header}.{payload}".encode(), hashlib.sha256).digest())
    if not hmac.compare_digest(expected.encode(), signature.encode("ascii", "replace")):
        return None
    try:
        claims = parse_json(_unb64(payload))
    except (BodyError, ValueError):
        return None
    return claims if isinstance(claims, dict) else None


async def token(request: Request) -> Response:
    sim = request.app.state.sim
    try:
        form = await read_form(request, body_limit(request))
    except BodyError as exc:
        return JSONResponse({"error": "invalid_request", "error_description": exc.message}, status_code=exc.status)
    client_id, client_secret = form.get("client_id"), form.get("client_secret")
    basic = request.headers.get("authorization", "")
    if basic.lower().startswith("basic "):
        with contextlib.suppress(ValueError):  # binascii.Error and UnicodeDecodeError are ValueErrors
            client_id, _, client_secret = base64.b64decode(basic[6:]).decode().partition(":")
    if form.get("grant_type") != "client_credentials":
        return JSONResponse({"error": "unsupported_grant_type"}, status_code=400)
    if not client_id or not client_secret:
        return JSONResponse({"error": "invalid_client"}, status_code=401)
    scopes = str(form.get("scope") or "").split()
    if len(str(client_id)) > 200 or len(scopes) > 50:
        return JSONResponse({"error": "invalid_request", "error_description": "client_id or scope too long"}, 400)
    issued_at = int(sim.clock.now(None).timestamp())
    access_token = issue(str(client_id), scopes, issued_at, sim.providers["checkout"].oauth_key)
    return JSONResponse(
        {"access_token": access_token, "expires_in": TOKEN_LIFETIME, "token_type": "Bearer", "scope": " ".join(scopes)}
    )
