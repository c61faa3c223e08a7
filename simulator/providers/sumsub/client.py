"""Sumsub's control calls in the Python client: ``kycsim.sumsub.<call>`` (see ``control.py``)."""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Callable, Generator, Mapping
from typing import Any

import httpx

from simulator.providers.sumsub import constants as c
from simulator.toolkit.client import ControlCalls, Items, KitTenant, Nothing, Obj, present


class SumsubCalls(ControlCalls[Obj, Items, Nothing]):
    """App tokens, webhook endpoints and the applicant's submission (``/_sim/sumsub/...``)."""

    def add_app_token(self, app_token: str, secret_key: str, *, current_secret_key: str | None = None) -> Obj:
        """Register an app token (``sbx:<public>.<private>``) and its secret key: requests signed with the pair
        are accepted from now on, as a tenant of their own. Changing the secret of a registered token needs
        its current one (``current_secret_key``)."""
        body = present(appToken=app_token, secretKey=secret_key, currentSecretKey=current_secret_key)
        return self._object("POST", "/sumsub/app-tokens", json=body)

    def app_tokens(self, tenant: str | None = None) -> Items:
        """The registered app tokens (masked), or only ``tenant``."""
        return self._items("/sumsub/app-tokens", present(tenant=tenant))

    def add_webhook(
        self,
        url: str,
        *,
        app_token: str | None = None,
        all_tenants: bool = False,
        secret: str | None = None,
        alg: str | None = None,
        events: list[str] | None = None,
    ) -> Obj:
        """A webhook endpoint for one app token's events (``app_token``) or every tenant's (``all_tenants``),
        signed with ``secret`` by ``alg`` (``HMAC_SHA1_HEX``, ``HMAC_SHA256_HEX``, ``HMAC_SHA512_HEX``)."""
        body = present(url=url, appToken=app_token, secret=secret, alg=alg, events=events)
        if all_tenants:
            body["allTenants"] = True
        return self._object("POST", "/sumsub/webhooks", json=body)

    def webhooks(self, app_token: str | None = None) -> Items:
        """The Sumsub webhook endpoints, or only those of ``app_token``."""
        return self._items("/sumsub/webhooks", present(appToken=app_token))

    def submit(
        self, *, app_token: str | None = None, applicant_id: str | None = None, action_id: str | None = None
    ) -> Obj:
        """The applicant completes the flow (an applicant's, or an action's with ``action_id``), as the hosted
        page's button does: ``{"submitted": bool, "reviewStatus": ...}``."""
        body = present(appToken=app_token, applicantId=applicant_id, actionId=action_id)
        return self._object("POST", "/sumsub/submit", json=body)


CLIENT = SumsubCalls  # what the Python client finds through the provider registry


class SumsubAuth(httpx.Auth):
    """Signs each request as Sumsub requires: ``X-App-Token``, ``X-App-Access-Ts`` (Unix seconds) and
    ``X-App-Access-Sig``, the hex HMAC-SHA256 of ts + METHOD + path with query + body, keyed by the secret."""

    requires_request_body = True

    def __init__(self, app_token: str, secret_key: str) -> None:
        self.app_token, self.secret_key = app_token, secret_key

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Add the three headers to ``request`` (its body as it will be sent, multipart too)."""
        ts = str(int(time.time()))  # Sumsub checks the signature's time against real time, as kycsim does
        signed = ts.encode() + request.method.upper().encode() + request.url.raw_path + request.content
        request.headers["X-App-Token"] = self.app_token
        request.headers["X-App-Access-Ts"] = ts
        request.headers["X-App-Access-Sig"] = hmac.new(self.secret_key.encode(), signed, hashlib.sha256).hexdigest()
        yield request


# The pytest plugin's part (simulator/testing): a test's own tenant, and the check an app makes of a webhook.

EVENT_CATEGORIES = ("webhookType",)  # the coverage category (GET /_sim/coverage) that lists event types


def kit_tenant(kycsim: Any, secret: Callable[[], str]) -> KitTenant:
    """A fresh app token and secret key, registered (``POST /_sim/sumsub/app-tokens``): a tenant of its own."""
    token, key, hook = f"sbx:kit{secret()}.{secret()}", secret(), secret()
    kycsim.provider(c.PROVIDER).add_app_token(token, key)
    exposed = {
        "sumsub_app_token": token,
        "sumsub_secret_key": key,
        "sumsub_auth": SumsubAuth(token, key),
        "sumsub_webhook_secret": hook,
    }
    return KitTenant(c.PROVIDER, token, exposed, webhook_secret=hook, webhook_options={"alg": c.DEFAULT_DIGEST_ALG})


def verify_webhook(headers: Mapping[str, str], body: bytes, secret: str) -> bool:
    """As an app checks a Sumsub webhook: ``X-Payload-Digest`` is the hex HMAC of the raw body, by the hash
    ``X-Payload-Digest-Alg`` names (``HMAC_SHA256_HEX``...)."""
    lowered = {k.lower(): v for k, v in headers.items()}
    algorithm = c.DIGEST_ALGS.get(lowered.get("x-payload-digest-alg", ""))
    if algorithm is None:
        return False
    expected = hmac.new(secret.encode(), body, algorithm).hexdigest()
    return hmac.compare_digest(expected, lowered.get("x-payload-digest", ""))


def event_subject(body: Any) -> str | None:
    """The id of what an event is about: its action's (``applicantActionId``), else its applicant's."""
    return (body.get("applicantActionId") or body.get("applicantId")) if isinstance(body, dict) else None
