"""Control API: ``GET /_sim/events``, Server-Sent Events of each published event with its body and signed headers.

A follower (``kycsim listen``, a test) names providers, a tenant and event types; ``Last-Event-ID``
resumes after an event it saw; ``attempts=true`` adds a frame per delivery attempt.
"""

from __future__ import annotations

import asyncio

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from simulator.bodies import BodyError, parse_json
from simulator.control.errors import bad_request, query_flag
from simulator.control.table import ControlOp, Param
from simulator.control.tenants import query_tenant
from simulator.control.webhooks import FLAG, TENANT
from simulator.engine.masking import mask
from simulator.engine.webhooks.endpoints import EndpointError, endpoint_fields
from simulator.engine.webhooks.stream import Subscription, frame

KEEPALIVE_SECONDS = 15.0


async def event_stream(request: Request) -> Response:
    """``text/event-stream`` of published events; ``Last-Event-ID`` resumes after an event."""
    sim = request.app.state.sim
    q = request.query_params
    providers = {p.strip() for p in q.get("provider", "").split(",") if p.strip()}
    unknown = sorted(providers - set(sim.providers))
    if unknown:
        raise bad_request(f"unknown provider(s) {', '.join(unknown)}; loaded: {', '.join(sorted(sim.providers))}")
    raw_options = request.headers.get("x-kycsim-listen-options") or q.get("options")
    try:
        options = parse_json(raw_options) if raw_options else {}
    except BodyError:
        raise bad_request('listen options must be a JSON object, e.g. {"alg": "HMAC_SHA512_HEX"}') from None
    try:
        options = endpoint_fields({"options": options}, partial=True)["options"]
    except EndpointError as exc:
        raise bad_request(f"listen options: {exc}") from None
    subscription = Subscription(
        providers=providers,
        tenant=query_tenant(request),
        events=[t.strip() for t in q.get("events", "").split(",") if t.strip()],
        secret=request.headers.get("x-kycsim-listen-secret"),
        options=options,
        attempts=query_flag(request, "attempts") or False,
    )
    dispatcher = sim.dispatcher
    backlog = []
    last = request.headers.get("last-event-id")
    if last:
        backlog = [e for e in dispatcher.events_after(last) if subscription.wants(e.provider, e.tenant, e.type)]
    dispatcher.subscribe(subscription)
    ready = {
        "providers": sorted(providers or sim.providers),
        "tenant": mask(subscription.tenant),
        "events": subscription.events,
        "signing": "listener secret" if subscription.secret is not None else "endpoint secrets",
        "speed": sim.clock.speed,
        "version": sim.version,
    }

    async def frames():
        try:
            yield frame("ready", ready)
            for event in backlog:
                yield frame("webhook", dispatcher.stream_payload(event, subscription), event.id)
            while True:
                try:
                    item = await asyncio.wait_for(subscription.queue.get(), KEEPALIVE_SECONDS)
                except TimeoutError:
                    yield ": keepalive\n\n"
                    continue
                if item is None:
                    return
                yield item
        finally:
            dispatcher.stream.unsubscribe(subscription)

    return StreamingResponse(
        frames(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


STREAM_OPTIONS = (
    TENANT,
    Param("provider", "only these providers' (comma-separated)"),
    Param("events", "only these event types (comma-separated)"),
    Param("attempts", "also an attempt frame per delivery attempt", FLAG),
    Param("options", 'signing options for the frames, as JSON: {"alg": "HMAC_SHA512_HEX"}'),
)

OPERATIONS = [
    ControlOp(
        "GET",
        "/events",
        event_stream,
        "events",
        "Server-Sent Events: every event as it is published",
        "events.stream",
        media="text/event-stream",
        errors=(400,),
        query=STREAM_OPTIONS,
    ),
]
