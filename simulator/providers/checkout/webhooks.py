"""Checkout.com webhooks: the 1.2.0 event envelope, ``Cko-Signature`` and the retry schedule.

The envelope is what Checkout.com's Workflows deliver for Identities events::

    {"id": "evt_...", "type": "identity_verification_checks_completed", "version": "1.2.0",
     "created_on": "2024-12-05T17:57:00.588067Z",
     "data": {"applicant_id", "external_applicant_id"?, "status", "<product>_id", "response_codes",
              "user_journey_id"},
     "_links": {"self": {"href": ".../workflows/events/evt_..."}}}

``Cko-Signature`` is the hex HMAC-SHA256 of the raw body with the endpoint's signature key;
an optional static ``Authorization`` header is sent as configured. The dispatcher retries a
failed delivery at 5m, 10m, 15m, 30m, 1h, 4h, 12h and 12h on the virtual clock.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from simulator.engine.clock import civil
from simulator.providers.checkout import constants as c

if TYPE_CHECKING:
    from simulator.engine.webhooks.dispatcher import Endpoint
    from simulator.providers.checkout.products import Product
    from simulator.simulator import Simulator

EVENTS_KIND = "events"
# What ``json.dumps(body, separators=(",", ":"))`` makes, without building an encoder for every event.
_compact = json.JSONEncoder(separators=(",", ":")).encode


def signature(body: bytes, key: str) -> str:
    """``Cko-Signature``: hex HMAC-SHA256 of the raw body."""
    return hmac.new(key.encode(), body, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class CheckoutWebhookProfile:
    retry_schedule: tuple[float, ...] = c.WEBHOOK_RETRY_SCHEDULE
    timeout: float = c.WEBHOOK_TIMEOUT_SECONDS

    def sign(self, body: bytes, endpoint: Endpoint) -> dict[str, str]:
        headers: dict[str, str] = {}
        if endpoint.secret:
            headers[c.SIGNATURE_HEADER] = signature(body, endpoint.secret)
        authorization = (endpoint.options or {}).get("authorization")
        if authorization:
            headers["Authorization"] = str(authorization)
        for name, value in ((endpoint.options or {}).get("headers") or {}).items():
            headers[str(name)] = str(value)
        return headers


def event_data(product: Product, check: dict[str, Any], applicant: dict[str, Any] | None) -> dict[str, Any]:
    data: dict[str, Any] = {"applicant_id": check["applicant_id"]}
    external = (applicant or {}).get("external_applicant_id")
    if external:
        data["external_applicant_id"] = external
    data["status"] = check["status"]
    data[product.data_id_key] = check["id"]
    if "response_codes" in check:  # AML screenings have none, and their events carry none
        data["response_codes"] = list(check["response_codes"])
    if check.get("user_journey_id"):
        data["user_journey_id"] = check["user_journey_id"]
    return data


def event_time(moment: datetime) -> str:
    """``created_on`` of an event: always six fractional digits, as every published example has them
    (``2024-12-05T17:57:00.588067Z``), even when the virtual clock is on a whole second (unlike the API's
    resource dates, whose fraction is dropped when zero)."""
    return f"{civil(moment)}.{moment.microsecond:06d}Z"  # strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def envelope(event_id: str, event_type: str, created_on: str, data: dict[str, Any], base_url: str) -> dict[str, Any]:
    return {
        "id": event_id,
        "type": event_type,
        "version": c.EVENT_VERSION,
        "created_on": created_on,
        "data": data,
        "_links": {"self": {"href": f"{base_url}/workflows/events/{event_id}"}},
    }


def publish(
    sim: Simulator,
    tenant: str,
    product: Product,
    check: dict[str, Any],
    event_type: str,
    applicant: dict[str, Any] | None,
) -> dict[str, Any]:
    """Build, keep (for ``GET /workflows/events/{id}``) and hand the event to the dispatcher."""
    event_id = sim.ids.prefixed(c.PREFIX_EVENT, tenant)
    created_on = event_time(sim.clock.now(tenant))
    body = envelope(event_id, event_type, created_on, event_data(product, check, applicant), check["_base_url"])
    sim.store.put(tenant, "checkout", EVENTS_KIND, event_id, body)
    check.setdefault("_event_ids", []).append(event_id)  # forgotten with the check (retention.py)
    raw = _compact(body).encode()
    chosen = check.get("_scenario") or {}
    scenario = chosen.get("playing") or chosen.get("name")  # its file may declare webhooks.chaos
    sim.dispatcher.publish(
        tenant, "checkout", event_type, raw, event_id=event_id, resource=check["id"], scenario=scenario
    )
    return body
