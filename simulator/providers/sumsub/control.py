"""Sumsub's corner of the control API (``/_sim/sumsub/...``): app tokens, webhook endpoints and
the applicant's submission for ``/_sim`` callers in interactive mode."""

from __future__ import annotations

import hmac

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from simulator.bodies import BodyError, body_limit, read_json
from simulator.control.webhooks import shown_endpoint
from simulator.engine.masking import mask
from simulator.engine.webhooks.endpoints import EndpointError, endpoint_fields
from simulator.providers.sumsub import constants as c
from simulator.providers.sumsub import handoff, lifecycle
from simulator.providers.sumsub.api import provider_of, sim_of
from simulator.providers.sumsub.auth import TOKEN_FORMAT
from simulator.providers.sumsub.state import SumsubState, public


def _error(status: int, message: str) -> JSONResponse:
    kind = {400: "bad_request", 403: "forbidden", 404: "not_found"}.get(status, "error")
    return JSONResponse({"error": {"type": kind, "message": message}}, status)


async def _json(request: Request) -> dict | None:
    try:
        data = await read_json(request, body_limit(request))
    except BodyError:
        return None
    return data if isinstance(data, dict) else None


def _text(data: dict, key: str) -> str | None:
    """``data[key]`` when it is a usable string (printable, at most 256 characters), else None."""
    value = data.get(key)
    return value if isinstance(value, str) and 0 < len(value) <= 256 and value.isprintable() else None


async def add_app_token(request: Request) -> Response:
    """Register an app token and its secret key. Changing the secret of a token that is already
    registered (another tenant's, or the settings' own) needs its current secret as ``currentSecretKey``."""
    data = await _json(request)
    if data is None:
        return _error(400, 'send a JSON object: {"appToken": "sbx:<public>.<private>", "secretKey": "..."}')
    token, secret = _text(data, "appToken"), _text(data, "secretKey")
    if token is None or not TOKEN_FORMAT.match(token):
        return _error(400, "'appToken' must look like sbx:<public>.<private> or prd:<public>.<private>")
    if secret is None:
        return _error(400, "'secretKey' must be a non-empty string of printable characters (at most 256)")
    credentials = provider_of(request).credentials
    current = credentials.secret_for(token)
    if current is not None and not hmac.compare_digest(current.encode(), secret.encode()):
        given = data.get("currentSecretKey")
        if not isinstance(given, str) or not hmac.compare_digest(current.encode(), given.encode()):
            return _error(
                403,
                "this appToken is registered with another secret; send its current secret as"
                " 'currentSecretKey' to change it",
            )
    credentials.add(token, secret)
    return JSONResponse({"appToken": token, "tenant": token, "sandbox": token.startswith("sbx:")}, status_code=201)


async def list_app_tokens(request: Request) -> Response:
    wanted = request.query_params.get("tenant") or request.query_params.get("appToken")
    tokens = [t for t in provider_of(request).credentials.tokens() if not wanted or t == wanted]
    return JSONResponse({"count": len(tokens), "data": [{"appToken": mask(t), "tenant": mask(t)} for t in tokens]})


async def add_webhook(request: Request) -> Response:
    """``{"url", "secret", "alg", "events", "appToken"}``: an endpoint for one app token's events, or
    ``"allTenants": true`` instead of ``appToken`` for every tenant's."""
    data = await _json(request)
    usage = 'send {"url": "http(s)://...", "secret": "...", "alg": "HMAC_SHA256_HEX", "appToken": "sbx:..."}'
    if data is None or not isinstance(data.get("url"), str):
        return _error(400, usage)
    alg = data.get("alg") or c.DEFAULT_DIGEST_ALG
    if not isinstance(alg, str) or alg not in c.DIGEST_ALGS:
        return _error(400, f"'alg' must be one of {', '.join(c.DIGEST_ALGS)}")
    events = data.get("events")
    if events is not None and (
        not isinstance(events, list) or not all(isinstance(e, str) and e in c.WEBHOOK_TYPES for e in events)
    ):
        return _error(400, f"'events' must be a list of webhook types: {', '.join(c.WEBHOOK_TYPES)}")
    tenant = data.get("appToken")
    if tenant is None and data.get("allTenants") is not True:
        return _error(400, "say whose events go there: 'appToken' (one tenant) or \"allTenants\": true (every tenant)")
    try:
        fields = endpoint_fields(
            {
                "url": data["url"],
                "secret": data.get("secret"),
                "tenant": tenant,
                "events": events,
                "options": {"alg": alg},
            },
            partial=True,
        )
    except EndpointError as exc:
        return _error(400, str(exc))
    endpoint = sim_of(request).dispatcher.add_endpoint(c.PROVIDER, **fields)
    return JSONResponse(shown_endpoint(endpoint.as_json()), status_code=201)


async def list_webhooks(request: Request) -> Response:
    wanted = request.query_params.get("tenant") or request.query_params.get("appToken")
    items = [
        shown_endpoint(e.as_json())
        for e in sim_of(request).dispatcher.endpoints.values()
        if e.provider == c.PROVIDER and (not wanted or e.tenant == wanted)
    ]
    return JSONResponse({"count": len(items), "data": items})


async def submit(request: Request) -> Response:
    """``{"appToken": ..., "applicantId": ...}`` or ``{"appToken": ..., "actionId": ...}``: the applicant
    completes the flow, as the hosted page's button does."""
    data = await _json(request) or {}
    token = _text(data, "appToken") or sim_of(request).settings.sumsub_app_token
    action_id, applicant_id = _text(data, "actionId"), _text(data, "applicantId") or ""
    ctx = SumsubState(sim_of(request), token)
    action = ctx.get(c.KIND_ACTION, action_id) if action_id else None
    applicant_id = action["applicantId"] if action else applicant_id
    applicant = ctx.get(c.KIND_APPLICANT, applicant_id)
    if applicant is None or (data.get("actionId") and action is None):
        return _error(404, "no such applicantId/actionId for this appToken")
    handoff.hand_off(ctx, action or applicant)  # the person is acting: they have the flow from now on
    changed = lifecycle.applicant_submits(ctx, applicant, action, captures=True)
    subject = action or applicant
    return JSONResponse({"submitted": changed, "reviewStatus": public(subject)["review"]["reviewStatus"]})
