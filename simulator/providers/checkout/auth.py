"""Who is calling: ``Authorization: Bearer <credential>`` in the forms the official SDKs send.

Accepted: secret keys ``sk_sbox_...`` and ``sk_...`` (the SDK's own key pattern, or any
non-blank key after the prefix, so hand-written test keys work) and the OAuth access tokens
kycsim's ``/connect/token`` issued (their signature is checked). Public keys (``pk_``), other
schemes, blank or overlong values, and forged tokens get Checkout.com's bodiless 401. A secret
key is its own tenant; an OAuth token's tenant is its client (``oauth:<client_id>``), so the
tokens a client refreshes share its data. A token that carries scopes without
``identity-verification`` is refused.

The header is whatever a client sent (decoded as latin-1, so any byte may appear): every check
works on plain text and never fails on odd input.
"""

from __future__ import annotations

import re

from simulator.providers.checkout.errors import Unauthorized
from simulator.providers.checkout.oauth import IDENTITY_SCOPE, MAX_TOKEN_CHARS, verified_claims

_SECRET_KEY = re.compile(r"^sk_(sbox_|test_)?[A-Za-z0-9_\-*#$=]+$")
_OAUTH_TOKEN = re.compile(r"^[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]*$")
MAX_KEY_CHARS = 256  # real keys are about 40 characters; a tenant name is kept in every record


def credential_of(header: str | None, oauth_key: bytes) -> str:
    """The credential in an Authorization header value; raises :class:`Unauthorized`."""
    if not header:
        raise Unauthorized("authorization_required")
    scheme, _, value = header.strip().partition(" ")
    value = value.strip()
    if scheme.lower() != "bearer" or not value or len(value) > MAX_TOKEN_CHARS:
        raise Unauthorized("authorization_invalid")
    if _SECRET_KEY.match(value):
        if len(value) > MAX_KEY_CHARS:
            raise Unauthorized("authorization_invalid")
        return value
    if _OAUTH_TOKEN.match(value):
        claims = verified_claims(value, oauth_key)
        if claims is None:
            raise Unauthorized("token_invalid")
        scopes = str(claims.get("scope", "")).split()
        if "scope" in claims and IDENTITY_SCOPE not in scopes:
            raise Unauthorized("scope_invalid")
        client = claims.get("client_id")
        if not isinstance(client, str) or not client:
            raise Unauthorized("token_invalid")
        return f"oauth:{client}"
    raise Unauthorized("authorization_invalid")
