"""Control API for webhooks: endpoints, the delivery log and replays (the event stream: ``events.py``).

| call | effect |
|---|---|
| `GET /_sim/webhooks` | every attempt, oldest first; filters below |
| `GET /_sim/webhooks/deliveries` | one row per (event, endpoint) delivery with its state and attempts |
| `GET /_sim/webhooks/events` | every published event, with or without an endpoint |
| `POST /_sim/webhooks/endpoints` · `GET` · `GET/PATCH/DELETE /_sim/webhooks/endpoints/{id}` | endpoints |
| `POST /_sim/webhooks/{id}/replay` | send a delivery (`dlv_...`) or an event (its id) again, optionally to `url` |
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from simulator.control.errors import bad_request, json_body, not_found, query_flag, query_int
from simulator.control.table import ControlOp, Param
from simulator.control.tenants import query_tenant
from simulator.engine.masking import mask, mask_headers, mask_url, masked_attempt
from simulator.engine.webhooks.endpoints import EndpointError, endpoint_fields


def _sim(request: Request):
    return request.app.state.sim


def _limit(request: Request) -> int | None:
    return query_int(request, "limit", None, maximum=1_000_000)


def shown_endpoint(endpoint: dict) -> dict:
    options = dict(endpoint.get("options") or {})
    if options.get("authorization"):
        options["authorization"] = mask(str(options["authorization"]))
    if isinstance(options.get("headers"), dict):
        options["headers"] = mask_headers(options["headers"])
    return {**endpoint, "tenant": mask(endpoint["tenant"]), "url": mask_url(endpoint["url"]), "options": options}


def _listing(items: list[dict], limit: int | None) -> JSONResponse:
    if limit is not None:
        items = items[-limit:] if limit else []
    return JSONResponse({"count": len(items), "data": items})


# Delivery log


async def list_attempts(request: Request) -> Response:
    q = request.query_params
    ok, replay = query_flag(request, "ok"), query_flag(request, "replay")
    exact = ("provider", "event_type", "event_id", "endpoint_id", "delivery_id", "resource")
    items = [
        masked_attempt(a.as_json())
        for a in _sim(request).dispatcher.attempts(query_tenant(request))
        if all(not q.get(k) or getattr(a, k) == q[k] for k in exact)
        and (ok is None or a.ok == ok)
        and (replay is None or a.replay == replay)
        and (not q.get("chaos") or any(note.startswith(q["chaos"]) for note in a.chaos))
    ]
    return _listing(items, _limit(request))


async def list_deliveries(request: Request) -> Response:
    q = request.query_params
    tenant = query_tenant(request)
    items = [
        {
            **d.as_json(),
            "tenant": mask(d.event.tenant),
            "url": mask_url(d.url),
            "attempts": [masked_attempt(a.as_json()) for a in d.attempts],
        }
        for d in _sim(request).dispatcher.deliveries.values()
        if (not tenant or d.event.tenant == tenant)
        and (not q.get("provider") or d.event.provider == q["provider"])
        and (not q.get("state") or d.state == q["state"])
        and (not q.get("event_id") or d.event.id == q["event_id"])
        and (not q.get("endpoint_id") or d.endpoint.id == q["endpoint_id"])
    ]
    return _listing(items, _limit(request))


async def list_events(request: Request) -> Response:
    q = request.query_params
    tenant = query_tenant(request)
    dispatcher = _sim(request).dispatcher
    by_event: dict[int, list] = {}
    for d in dispatcher.deliveries.values():
        by_event.setdefault(id(d.event), []).append(d)
    items = []
    for event in dispatcher.events:
        if (
            (tenant and event.tenant != tenant)
            or (q.get("provider") and event.provider != q["provider"])
            or (q.get("type") and event.type != q["type"])
            or (q.get("resource") and event.resource != q["resource"])
            or (q.get("scenario") and event.scenario != q["scenario"])
        ):
            continue
        deliveries = by_event.get(id(event), [])
        items.append(
            {
                **event.as_json(),
                "tenant": mask(event.tenant),
                "deliveries": [
                    {
                        "id": d.id,
                        "endpoint_id": d.endpoint.id,
                        "url": mask_url(d.url),
                        "state": d.state,
                        "attempts": len(d.attempts),
                    }
                    for d in deliveries
                ],
            }
        )
    return _listing(items, _limit(request))


async def replay(request: Request) -> Response:
    dispatcher = _sim(request).dispatcher
    data = await json_body(request)
    url = data.get("url")
    if url is not None and (not isinstance(url, str) or not url.startswith(("http://", "https://"))):
        raise bad_request("'url' must be an http(s) URL when given")
    target = request.path_params["delivery_id"]
    if target in dispatcher.deliveries:
        attempt = await dispatcher.replay(target, url)
        return JSONResponse(masked_attempt(attempt.as_json()), status_code=201)
    attempts = await dispatcher.replay_event(target, url)
    if attempts is None:
        raise not_found(f"no webhook delivery or event {target!r}; GET /_sim/webhooks/events lists them")
    if not attempts:
        raise bad_request(f'event {target!r} went to no endpoint; pass {{"url": ...}} to send it somewhere')
    data_ = [masked_attempt(a.as_json()) for a in attempts]
    return JSONResponse({"count": len(data_), "data": data_}, status_code=201)


# Endpoints


def _endpoint_or_404(request: Request):
    endpoint_id = request.path_params["endpoint_id"]
    endpoint = _sim(request).dispatcher.endpoints.get(endpoint_id)
    if endpoint is None:
        raise not_found(f"no webhook endpoint {endpoint_id!r}; GET /_sim/webhooks/endpoints lists them")
    return endpoint


def _checked(request: Request, data: dict, *, partial: bool) -> dict:
    try:
        fields = endpoint_fields(data, partial=partial)
    except EndpointError as exc:
        raise bad_request(str(exc)) from None
    sim = _sim(request)
    provider = fields.get("provider")
    if provider is not None and provider not in sim.dispatcher.profiles:
        known = ", ".join(sorted(sim.dispatcher.profiles)) or "none"
        raise bad_request(f"provider {provider!r} sends no webhooks here (providers with webhooks: {known})")
    return fields


def _whose(data: dict) -> dict:
    """``data`` without ``all_tenants``: an endpoint is for one tenant unless it says, explicitly, for all."""
    data = dict(data)
    everybody = data.pop("all_tenants", None)
    if everybody not in (None, True, False):
        raise bad_request("'all_tenants' must be true or false")
    if everybody and data.get("tenant") is not None:
        raise bad_request("give 'tenant' or \"all_tenants\": true, not both")
    return data | ({"tenant": None} if everybody else {})


async def create_endpoint(request: Request) -> Response:
    data = await json_body(request, required=True)
    if data.get("tenant") is None and data.get("all_tenants") is not True:
        raise bad_request(
            "say whose events go there: 'tenant' (one tenant's) or \"all_tenants\": true (every tenant's)"
        )
    fields = _checked(request, _whose(data), partial=False)
    endpoint = _sim(request).dispatcher.add_endpoint(fields.pop("provider"), source="api", **fields)
    return JSONResponse(shown_endpoint(endpoint.as_json()), status_code=201)


async def list_endpoints(request: Request) -> Response:
    provider, tenant = request.query_params.get("provider"), query_tenant(request)
    items = [
        shown_endpoint(e.as_json())
        for e in _sim(request).dispatcher.endpoints.values()
        if (not provider or e.provider == provider) and (not tenant or e.tenant == tenant)
    ]
    return JSONResponse({"count": len(items), "data": items})


async def get_endpoint(request: Request) -> Response:
    return JSONResponse(shown_endpoint(_endpoint_or_404(request).as_json()))


async def update_endpoint(request: Request) -> Response:
    endpoint = _endpoint_or_404(request)
    data = await json_body(request, required=True)
    if "tenant" in data and data["tenant"] is None and data.get("all_tenants") is not True:
        raise bad_request('an endpoint for every tenant must say so: "all_tenants": true')
    fields = _checked(request, _whose(data), partial=True)
    if "provider" in fields and fields["provider"] != endpoint.provider:
        raise bad_request("an endpoint's provider cannot change; delete it and create another")
    fields.pop("provider", None)
    return JSONResponse(shown_endpoint(_sim(request).dispatcher.update_endpoint(endpoint.id, **fields).as_json()))


async def delete_endpoint(request: Request) -> Response:
    _sim(request).dispatcher.remove_endpoint(_endpoint_or_404(request).id)
    return Response(status_code=204)


TENANT = Param("tenant", "only this tenant's (a credential: secret key, app token)")
PROVIDER = Param("provider", "only this provider's")
LIMIT = Param("limit", "only the last this many", {"type": "integer", "minimum": 0, "maximum": 1000000})
FLAG = {"type": "string", "enum": ["true", "false", "1", "0", "yes", "no"]}
ENDPOINT = "/webhooks/endpoints/{endpoint_id}"

ATTEMPT_FILTERS = (
    TENANT,
    PROVIDER,
    Param("event_type", "only this event type"),
    Param("event_id", "only this event's"),
    Param("endpoint_id", "only to this endpoint"),
    Param("delivery_id", "only this delivery's"),
    Param("resource", "only about this resource"),
    Param("ok", "only those that succeeded (true) or failed (false)", FLAG),
    Param("replay", "only replays (true) or only first sends (false)", FLAG),
    Param("chaos", "only those carrying this chaos switch"),
    LIMIT,
)
DELIVERY_FILTERS = (
    TENANT,
    PROVIDER,
    Param("state", "held, queued, pending, delivered, failed or cancelled"),
    Param("event_id", "this event's"),
    Param("endpoint_id", "to this endpoint"),
    LIMIT,
)
EVENT_FILTERS = (
    TENANT,
    PROVIDER,
    Param("type", "only this event type"),
    Param("resource", "only about this resource"),
    Param("scenario", "only from this scenario"),
    LIMIT,
)
ENDPOINT_ROW = "common#/$defs/endpoint"

OPERATIONS = [
    ControlOp(
        "GET",
        "/webhooks",
        list_attempts,
        "list_webhooks",
        "Every delivery attempt, oldest first",
        "webhook_attempts.response",
        errors=(400,),
        query=ATTEMPT_FILTERS,
    ),
    ControlOp(
        "GET",
        "/webhooks/deliveries",
        list_deliveries,
        "list_webhook_deliveries",
        "One row per delivery of an event to an endpoint, with its attempts",
        "webhook_deliveries.response",
        errors=(400,),
        query=DELIVERY_FILTERS,
    ),
    ControlOp(
        "GET",
        "/webhooks/events",
        list_events,
        "list_webhook_events",
        "Every published event, with its body",
        "webhook_events.response",
        errors=(400,),
        query=EVENT_FILTERS,
    ),
    ControlOp(
        "POST",
        "/webhooks/endpoints",
        create_endpoint,
        "create_webhook_endpoint",
        "Add a webhook endpoint",
        ENDPOINT_ROW,
        status=201,
        request="webhook_endpoint.request",
        body_required=True,
    ),
    ControlOp(
        "GET",
        "/webhooks/endpoints",
        list_endpoints,
        "list_webhook_endpoints",
        "The webhook endpoints",
        "webhook_endpoints.response",
        query=(PROVIDER, TENANT),
    ),
    ControlOp(
        "GET", ENDPOINT, get_endpoint, "get_webhook_endpoint", "One webhook endpoint", ENDPOINT_ROW, errors=(404,)
    ),
    ControlOp(
        "PATCH",
        ENDPOINT,
        update_endpoint,
        "update_webhook_endpoint",
        "Change an endpoint: its URL, filters, secret, chaos switches",
        ENDPOINT_ROW,
        request="webhook_endpoint_update.request",
        body_required=True,
        errors=(404,),
    ),
    ControlOp(
        "DELETE",
        ENDPOINT,
        delete_endpoint,
        "delete_webhook_endpoint",
        "Forget an endpoint (its deliveries still to come are cancelled)",
        None,
        status=204,
        errors=(404,),
    ),
    ControlOp(
        "POST",
        "/webhooks/{delivery_id}/replay",
        replay,
        "replay_webhook",
        "Send a delivery (dlv_...) or an event again, to its endpoints or to url",
        "replay.response",
        status=201,
        request="replay.request",
        errors=(404,),
    ),
]
