"""``GET /workflows/events/{event_id}``: the event a webhook's ``_links.self`` points at."""

from __future__ import annotations

from typing import Any

from simulator.providers.checkout.api import require
from simulator.providers.checkout.webhooks import EVENTS_KIND
from simulator.toolkit.routes import Call


async def get_event(call: Call) -> dict[str, Any]:
    return require(call.state.get(EVENTS_KIND, call.params["event_id"]), "event")
