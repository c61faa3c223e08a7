"""App-token request signing, checked the way Sumsub checks it (fact sheet section 2).

``X-App-Access-Sig`` = lowercase hex HMAC-SHA256(secret, ts + METHOD + path-and-query + body),
over the bytes as sent: ``scope["raw_path"]`` + ``?`` + ``scope["query_string"]`` and the raw
body (multipart and GET bodies included), never a re-encoded URL or parsed JSON. The timestamp
is compared with *wall* time: clients sign with real time even after the virtual clock moved.
Each app token is its own tenant. Header values arrive as latin-1 text, so any byte may appear:
the checks compare bytes and never fail on odd input.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Callable
from typing import Any

from starlette.requests import Request

from simulator.bodies import read_body
from simulator.providers.sumsub.constants import (
    HEADER_ACCESS_SIG,
    HEADER_ACCESS_TS,
    HEADER_APP_TOKEN,
    SIGNATURE_WINDOW_SECONDS,
)
from simulator.providers.sumsub.errors import SumsubError

TOKEN_FORMAT = re.compile(r"^(sbx|prd):[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$")


class Credentials:
    """App tokens and their secret keys: the settings' pair plus any added at run time.

    Those added at run time outlive a restart on a durable store (:meth:`snapshot`, :meth:`restore`);
    the settings' pair comes from the settings at each start, so the configuration wins for its token.
    """

    def __init__(self) -> None:
        self._secrets: dict[str, str] = {}
        self._configured: str | None = None
        self.on_change: Callable[[], None] | None = None  # the store keeps the snapshot with the documents

    def configure(self, token: str, secret: str) -> None:
        """The settings' pair."""
        self._secrets[token] = secret
        self._configured = token

    def add(self, token: str, secret: str) -> None:
        self._secrets[token] = secret
        if self.on_change is not None:
            self.on_change()

    def snapshot(self) -> str:
        return json.dumps({t: s for t, s in self._secrets.items() if t != self._configured})

    def restore(self, saved: Any) -> None:
        if isinstance(saved, dict):
            for token, secret in saved.items():
                if isinstance(token, str) and isinstance(secret, str) and token != self._configured:
                    self._secrets[token] = secret

    def secret_for(self, token: str) -> str | None:
        return self._secrets.get(token)

    def tokens(self) -> list[str]:
        return list(self._secrets)

    def public_part_known(self, token: str) -> bool:
        public = token.split(".", 1)[0]
        return any(t.split(".", 1)[0] == public for t in self._secrets)


def signature(secret: str, ts: str, method: str, path_and_query: bytes, body: bytes) -> str:
    message = ts.encode() + method.upper().encode() + path_and_query + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def path_and_query(request: Request) -> bytes:
    """The request target as the client sent it."""
    raw = request.scope.get("raw_path") or request.scope["path"].encode()
    query = request.scope.get("query_string") or b""
    return raw + (b"?" + query if query else b"")


async def authenticate(request: Request, credentials: Credentials, wall: Callable[[], float], body_limit: int) -> str:
    """The app token of a correctly signed request; raises the 4000-4007 errors otherwise."""
    token = request.headers.get(HEADER_APP_TOKEN)
    ts = request.headers.get(HEADER_ACCESS_TS)
    sig = request.headers.get(HEADER_ACCESS_SIG)
    if not token or not ts or not sig:
        missing = [h for h, v in ((HEADER_APP_TOKEN, token), (HEADER_ACCESS_TS, ts), (HEADER_ACCESS_SIG, sig)) if not v]
        raise SumsubError.coded(4006, f"Not all required authorization headers were provided: {', '.join(missing)}")
    secret = credentials.secret_for(token)
    if secret is None:
        if not TOKEN_FORMAT.match(token):
            raise SumsubError.coded(4000)
        if credentials.public_part_known(token):
            raise SumsubError.coded(4002)
        raise SumsubError.coded(4001)
    if not re.fullmatch(r"[0-9]{1,12}", ts):
        raise SumsubError.coded(4005, f"Invalid {HEADER_ACCESS_TS} value: it must be Unix time in seconds")
    if abs(wall() - int(ts)) > SIGNATURE_WINDOW_SECONDS:
        raise SumsubError.coded(4004)
    body = await read_body(request, body_limit)  # a BodyError goes to the caller, which knows the route
    expected = signature(secret, ts, request.method, path_and_query(request), body)
    # Bytes on both sides: a header may hold any latin-1 character, and compare_digest refuses non-ASCII str.
    if not hmac.compare_digest(expected.encode(), sig.strip().lower().encode("latin-1")):
        raise SumsubError.coded(4003)
    return token
