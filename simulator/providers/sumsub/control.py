"""Sumsub's corner of the control API (``/_sim/sumsub/...``): app tokens, webhook endpoints and
the applicant's submission for ``/_sim`` callers in interactive mode."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from simulator.providers.sumsub import constants as c
from simulator.providers.sumsub import handoff, lifecycle
from simulator.providers.sumsub.api import provider_of, sim_of
from simulator.providers.sumsub.auth import TOKEN_FORMAT
from simulator.providers.sumsub.models import Ctx, public


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse(
        {"error": {"type": "bad_request" if status == 400 else "not_found", "message": message}}, status
    )


async def _json(request: Request) -> dict | None:
    try:
        data = await request.json()
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


async def add_app_token(request: Request) -> Response:
    data = await _json(request)
    if data is None:
        return _error(400, 'send a JSON object: {"appToken": "sbx:<public>.<private>", "secretKey": "..."}')
    token, secret = data.get("appToken"), data.get("secretKey")
    if not isinstance(token, str) or not TOKEN_FORMAT.match(token):
        return _error(400, "'appToken' must look like sbx:<public>.<private> or prd:<public>.<private>")
    if not isinstance(secret, str) or not secret:
        return _error(400, "'secretKey' must be a non-empty string")
    provider_of(request).credentials.add(token, secret)
    return JSONResponse({"appToken": token, "tenant": token, "sandbox": token.startswith("sbx:")}, status_code=201)


async def list_app_tokens(request: Request) -> Response:
    tokens = provider_of(request).credentials.tokens()
    return JSONResponse({"count": len(tokens), "data": [{"appToken": t, "tenant": t} for t in tokens]})


async def add_webhook(request: Request) -> Response:
    data = await _json(request)
    if data is None or not isinstance(data.get("url"), str) or not data["url"].startswith(("http://", "https://")):
        return _error(400, 'send {"url": "http(s)://...", "secret": "...", "alg": "HMAC_SHA256_HEX"}')
    alg = data.get("alg") or c.DEFAULT_DIGEST_ALG
    if alg not in c.DIGEST_ALGS:
        return _error(400, f"'alg' must be one of {', '.join(c.DIGEST_ALGS)}")
    events = data.get("events")
    if events is not None and (not isinstance(events, list) or not set(events) <= set(c.WEBHOOK_TYPES)):
        return _error(400, f"'events' must be a list of webhook types: {', '.join(c.WEBHOOK_TYPES)}")
    endpoint = sim_of(request).dispatcher.add_endpoint(
        c.PROVIDER,
        data["url"],
        secret=data.get("secret"),
        tenant=data.get("appToken"),
        events=events,
        options={"alg": alg},
    )
    return JSONResponse(endpoint.as_json(), status_code=201)


async def list_webhooks(request: Request) -> Response:
    items = [e.as_json() for e in sim_of(request).dispatcher.endpoints.values() if e.provider == c.PROVIDER]
    return JSONResponse({"count": len(items), "data": items})


async def submit(request: Request) -> Response:
    """``{"appToken": ..., "applicantId": ...}`` or ``{"appToken": ..., "actionId": ...}``: the applicant
    completes the flow, as the hosted page's button does."""
    data = await _json(request) or {}
    token = data.get("appToken") or sim_of(request).settings.sumsub_app_token
    ctx = Ctx(sim_of(request), token)
    action = ctx.get(c.KIND_ACTION, str(data.get("actionId", ""))) if data.get("actionId") else None
    applicant_id = action["applicantId"] if action else str(data.get("applicantId", ""))
    applicant = ctx.get(c.KIND_APPLICANT, applicant_id)
    if applicant is None or (data.get("actionId") and action is None):
        return _error(404, "no such applicantId/actionId for this appToken")
    handoff.hand_off(ctx, action or applicant)  # the person is acting: they have the flow from now on
    changed = lifecycle.applicant_submits(ctx, applicant, action, captures=True)
    subject = action or applicant
    return JSONResponse({"submitted": changed, "reviewStatus": public(subject)["review"]["reviewStatus"]})
