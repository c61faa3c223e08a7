"""``GET /workflows/events/{event_id}``: the event a webhook's ``_links.self`` points at."""

from __future__ import annotations

from starlette.responses import Response

from simulator.providers.checkout.api import Call, operation, require
from simulator.providers.checkout.webhooks import EVENTS_KIND


@operation("get_event")
async def get_event(call: Call) -> Response:
    event = require(call.sim.store.get(call.tenant, "checkout", EVENTS_KIND, call.params["event_id"]), "event")
    return call.json(event)
