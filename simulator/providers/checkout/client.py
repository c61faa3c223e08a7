"""Checkout.com's control calls in the Python client: ``kycsim.checkout.<call>`` (see ``control.py``)."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Callable, Mapping
from typing import Any, Literal

from simulator.toolkit.client import ControlCalls, Items, KitTenant, Nothing, Obj, segment


class CheckoutCalls(ControlCalls[Obj, Items, Nothing]):
    """What a reviewer or ongoing monitoring does to an AML screening (``/_sim/checkout/...``).

    Each answers the screening as ``GET /aml-verifications/{id}`` shows it afterwards."""

    def aml_resolve(self, screening_id: str, decision: Literal["approved", "declined"]) -> Obj:
        """Close an AML screening's open case (``review_required``) as ``approved`` or ``declined``."""
        return self._object("POST", f"{_aml(screening_id)}/resolve", json={"decision": decision})

    def aml_update_status(self, screening_id: str, status: Literal["approved", "declined", "review_required"]) -> Obj:
        """Change a decided AML screening afterwards: ``review_required`` re-opens its review, ``approved`` /
        ``declined`` updates its decision (``aml_verification_status_changed``)."""
        return self._object("POST", f"{_aml(screening_id)}/status", json={"status": status})

    def aml_monitoring_alert(self, screening_id: str, alerts: int = 1) -> Obj:
        """Make ongoing monitoring of a monitored, approved screening raise ``alerts`` new alerts now."""
        return self._object("POST", f"{_aml(screening_id)}/monitoring-alert", json={"alerts": alerts})


def _aml(screening_id: str) -> str:
    return f"/checkout/aml-verifications/{segment(screening_id)}"


CLIENT = CheckoutCalls  # what the Python client finds through the provider registry


# The pytest plugin's part (simulator/testing): a test's own tenant, and the check an app makes of a webhook.

EVENT_CATEGORIES = ("*.event",)  # the coverage categories (GET /_sim/coverage) that list event types


def kit_tenant(kycsim: Any, secret: Callable[[], str]) -> KitTenant:
    """A fresh secret key (a tenant of its own: kycsim needs no registration for it), in the form the official
    SDKs check a sandbox key against: ``sk_sbox_`` and 27 characters of lowercase base32."""
    key = "sk_sbox_" + base64.b32encode(bytes.fromhex(secret() + secret())).decode().lower()[:27]
    hook = secret()
    return KitTenant("checkout", key, {"checkout_key": key, "checkout_webhook_secret": hook}, webhook_secret=hook)


def verify_webhook(headers: Mapping[str, str], body: bytes, secret: str) -> bool:
    """As an app checks a Checkout.com webhook: ``Cko-Signature`` is the hex HMAC-SHA256 of the raw body."""
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    given = next((v for k, v in headers.items() if k.lower() == "cko-signature"), "")
    return hmac.compare_digest(expected, given)


def event_subject(body: Any) -> str | None:
    """The id of what an event is about: its check's (``identity_verification_id``...), else its applicant's."""
    data = body.get("data") if isinstance(body, dict) else None
    if not isinstance(data, dict):
        return None
    others = ("applicant_id", "external_applicant_id", "user_journey_id")
    found = next((v for k, v in data.items() if k.endswith("_id") and k not in others and isinstance(v, str)), None)
    return found or data.get("applicant_id") or data.get("id")
