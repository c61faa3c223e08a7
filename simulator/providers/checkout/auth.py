"""Who is calling: ``Authorization: Bearer <credential>`` in the forms the official SDKs send.

Accepted: secret keys ``sk_sbox_...`` and ``sk_...`` (the SDK's own key pattern, or any
non-blank key after the prefix, so hand-written test keys work) and OAuth access tokens
(JWTs, three dot-separated base64url parts). Public keys (``pk_``), other schemes and blank
values get Checkout.com's bodiless 401. A secret key is its own tenant; an OAuth token's tenant
is its client (``oauth:<client_id>``), so the tokens a client refreshes share its data. A token
that carries scopes without ``identity-verification`` is refused.
"""

from __future__ import annotations

import re

from starlette.requests import Request

from simulator.providers.checkout.errors import Unauthorized
from simulator.providers.checkout.oauth import IDENTITY_SCOPE, claims_of

_SECRET_KEY = re.compile(r"^sk_(sbox_|test_)?[A-Za-z0-9_\-*#$=]+$")
_OAUTH_TOKEN = re.compile(r"^[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]*$")


def credential_of(header: str | None) -> str:
    """The credential in an Authorization header value; raises :class:`Unauthorized`."""
    if not header:
        raise Unauthorized("authorization_required")
    scheme, _, value = header.strip().partition(" ")
    value = value.strip()
    if scheme.lower() != "bearer" or not value:
        raise Unauthorized("authorization_invalid")
    if _SECRET_KEY.match(value):
        return value
    if _OAUTH_TOKEN.match(value):
        claims = claims_of(value) or {}
        scopes = str(claims.get("scope", "")).split()
        if "scope" in claims and IDENTITY_SCOPE not in scopes:
            raise Unauthorized("scope_invalid")
        client = claims.get("client_id") or claims.get("sub")
        return f"oauth:{client}" if isinstance(client, str) and client else value
    raise Unauthorized("authorization_invalid")


def authenticate(request: Request) -> str:
    """The tenant of ``request``.

    Reads the first ``authorization`` header from the ASGI scope as ``request.headers.get`` would
    (same value, latin-1), without building a Headers object on every call.
    """
    header = next((value for key, value in request.scope["headers"] if key == b"authorization"), None)
    return credential_of(None if header is None else header.decode("latin-1"))
