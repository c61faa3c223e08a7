"""The demo's webhooks: ``{"type": "widget_<status>", "id"}``, signed with ``X-Demo-Signature``."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from simulator.engine.webhooks.endpoints import Endpoint
from tests.support.demo_provider.state import DemoState


class DemoProfile:
    retry_schedule = (60.0, 600.0)
    timeout = 2.0

    def sign(self, body: bytes, endpoint: Endpoint) -> dict[str, str]:
        return {"X-Demo-Signature": hmac.new((endpoint.secret or "").encode(), body, hashlib.sha256).hexdigest()}


def publish(state: DemoState, widget: dict[str, Any]) -> None:
    event_type = f"widget_{widget['status']}"
    body = json.dumps({"type": event_type, "id": widget["id"]}).encode()
    state.sim.dispatcher.publish(
        state.tenant, "demo", event_type, body, event_id=state.prefixed("evt"), resource=widget["id"]
    )
