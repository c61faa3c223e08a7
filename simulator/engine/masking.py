"""Secrets as kycsim shows them: enough to tell one from another, never enough to use.

A tenant is a credential (a Checkout.com secret key, a Sumsub app token), and webhook endpoints
carry signing secrets and static ``Authorization`` values. The request journal, the delivery
log, the endpoint list, the console and the dashboard show them as a known prefix and the last
four characters (``sk_sbox_…x4e9``). Stored values stay whole (tenant filters and signing need
them): masking happens where a record is rendered, and costs nothing on the request path.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit, urlunsplit

_PREFIX = re.compile(r"^(sk_sbox_|sk_test_|sk_|pk_sbox_|pk_|sbx:|prd:|oauth:|whsec_|Bearer |Basic |bearer |basic )")
# Headers of a webhook attempt that are not secrets; every other value (signatures, Authorization,
# headers added by an endpoint's options) is masked.
PLAIN_HEADERS = frozenset({"content-type", "content-length", "user-agent", "accept", "x-payload-digest-alg"})
_SECRETS_IN_TEXT = [
    # form fields and JSON members that hold secrets
    (re.compile(r"((?:^|[?&])(?:client_secret|secret|token)=)([^&\s]+)"), 2),
    (
        re.compile(
            r'("(?:client_secret|access_token|secretKey|currentSecretKey|signKey|secret|authorization)"\s*:\s*")'
            r'((?:[^"\\]|\\.)*)"'
        ),
        2,
    ),
    # credentials wherever they appear
    (re.compile(r"\b(sk_(?:sbox_|test_)?[A-Za-z0-9_\-*#$=]{6,})"), 1),
    (re.compile(r"\b((?:sbx|prd):[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)"), 1),
]


@functools.lru_cache(maxsize=4096)  # the console masks the tenant of every request: tenants repeat
def mask(value: str | None) -> str | None:
    """``sk_sbox_…x4e9``: the prefix that says what it is, and the last four characters."""
    if not value:
        return value
    found = _PREFIX.match(value)
    prefix = found.group(0) if found else ""
    rest = value[len(prefix) :]
    return f"{prefix}…{rest[-4:]}" if len(rest) > 4 else f"{prefix}…"


def mask_headers(headers: Mapping[str, str]) -> dict[str, str]:
    return {k: v if k.lower() in PLAIN_HEADERS else mask(v) or "" for k, v in headers.items()}


def masked_attempt(attempt: dict[str, Any]) -> dict[str, Any]:
    """A webhook attempt as kycsim shows it (delivery log, stories, the event stream): tenant,
    signature and Authorization headers, URL password masked."""
    return {
        **attempt,
        "tenant": mask(attempt["tenant"]),
        "url": mask_url(attempt["url"]),
        "request_headers": mask_headers(attempt["request_headers"]),
    }


def mask_url(url: str) -> str:
    """The URL with the password of its user part masked (``https://user:…word@host/``)."""
    if "@" not in url:
        return url
    try:
        parts = urlsplit(url)
    except ValueError:
        return mask(url) or ""
    if parts.password is None:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit(parts._replace(netloc=f"{parts.username}:{mask(parts.password)}@{host}"))


def mask_text(text: str | None) -> str | None:
    """A request or response body with every secret it carries masked (client secrets, access tokens,
    secret keys, app tokens, signing keys)."""
    if not text:
        return text
    for pattern, group in _SECRETS_IN_TEXT:
        text = pattern.sub(functools.partial(_replace, group=group), text)
    return text


def _replace(match: re.Match[str], group: int) -> str:
    whole: str = match.group(0)
    secret: str = match.group(group)
    start = match.start(group) - match.start(0)
    return whole[:start] + (mask(secret) or "") + whole[start + len(secret) :]
