"""Test helpers: request signing the way Sumsub's published Python example does it.

SumSubstance/AppTokenUsageExamples ``sign_request``: prepare the request, then sign
``str(now) + METHOD + prepared.path_url + body`` (path_url = the encoded path and query as sent;
body bytes as sent, or nothing) with HMAC-SHA256 and the secret key; send the three headers.
Here the prepared request is httpx's, so ``url.raw_path`` plays ``path_url``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Callable

import httpx

from simulator.providers.sumsub.schemas import first_error
from simulator.providers.sumsub.settings import DEFAULT_APP_TOKEN as DEFAULT_SUMSUB_APP_TOKEN
from simulator.providers.sumsub.settings import DEFAULT_SECRET_KEY as DEFAULT_SUMSUB_SECRET_KEY

TOKEN = DEFAULT_SUMSUB_APP_TOKEN
SECRET = DEFAULT_SUMSUB_SECRET_KEY


def sign(secret: str, ts: str, method: str, path_url: bytes, body: bytes) -> str:
    data_to_sign = ts.encode() + method.upper().encode() + path_url + body
    return hmac.new(secret.encode(), data_to_sign, digestmod=hashlib.sha256).hexdigest()


class SumsubAuth(httpx.Auth):
    """Signs each request as it is about to be sent (body included, multipart too)."""

    requires_request_body = True

    def __init__(self, token: str = TOKEN, secret: str = SECRET, clock: Callable[[], float] = time.time) -> None:
        self.token, self.secret, self.clock = token, secret, clock

    def auth_flow(self, request: httpx.Request):
        now = str(int(self.clock()))
        request.headers["X-App-Token"] = self.token
        request.headers["X-App-Access-Ts"] = now
        request.headers["X-App-Access-Sig"] = sign(
            self.secret, now, request.method, request.url.raw_path, request.content
        )
        yield request


def assert_valid(schema: str, body: object) -> None:
    problem = first_error(schema, body)
    assert problem is None, f"{schema}: {problem}\n{json.dumps(body, indent=1)[:2000]}"


def assert_error(response: httpx.Response, status: int, error_code: int | None = None) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert_valid("error", body)
    assert body["code"] == status
    if error_code is not None:
        assert body["errorCode"] == error_code, body
    return body
