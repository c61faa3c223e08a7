"""``POST /connect/token``: OAuth client credentials, as ``access.checkout.com`` answers the SDKs.

The official SDKs' OAuth mode posts ``grant_type=client_credentials`` (form body, client id and
secret also as HTTP Basic) to the environment's authorization URI and then sends the access
token as ``Bearer``. kycsim issues a JWT-shaped token naming the client and scopes; every token
of one client id is the same tenant (``oauth:<client_id>``), so refreshing a token keeps the data.
A token whose scopes do not include ``identity-verification`` is refused on identity calls.
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

IDENTITY_SCOPE = "identity-verification"
TOKEN_LIFETIME = 3600


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def issue(client_id: str, scopes: list[str], issued_at: int, key: bytes) -> str:
    header = _b64(json.dumps({"alg": "HS256", "typ": "at+jwt", "kid": "kycsim"}).encode())
    claims = {"iss": "kycsim", "client_id": client_id, "scope": " ".join(scopes), "iat": issued_at,
              "exp": issued_at + TOKEN_LIFETIME}  # fmt: skip
    payload = _b64(json.dumps(claims, separators=(",", ":")).encode())
    signature = _b64(hmac.new(key, f"{header}.{payload}".encode(), hashlib.sha256).digest())
    return f"{header}.{payload}.{signature}"


def claims_of(token: str) -> dict[str, Any] | None:
    """The claims of a JWT-shaped token (unverified: any issuer's token is accepted), or None."""
    try:
        claims = json.loads(_unb64(token.split(".")[1]))
    except (ValueError, IndexError):
        return None
    return claims if isinstance(claims, dict) else None


async def token(request: Request) -> Response:
    sim = request.app.state.sim
    form = await request.form()
    client_id, client_secret = form.get("client_id"), form.get("client_secret")
    basic = request.headers.get("authorization", "")
    if basic.lower().startswith("basic "):
        with contextlib.suppress(ValueError):
            client_id, _, client_secret = base64.b64decode(basic[6:]).decode().partition(":")
    if form.get("grant_type") != "client_credentials":
        return JSONResponse({"error": "unsupported_grant_type"}, status_code=400)
    if not client_id or not client_secret:
        return JSONResponse({"error": "invalid_client"}, status_code=401)
    scopes = str(form.get("scope") or "").split()
    key = hashlib.sha256(f"kycsim-oauth:{sim.settings.seed}".encode()).digest()
    issued_at = int(sim.clock.now(None).timestamp())
    access_token = issue(str(client_id), scopes, issued_at, key)
    return JSONResponse(
        {"access_token": access_token, "expires_in": TOKEN_LIFETIME, "token_type": "Bearer", "scope": " ".join(scopes)}
    )
