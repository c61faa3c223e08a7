"""WebSDK access tokens and links (current and legacy forms), and the API health check.

Tokens and links point at the simulator's own hosted page (:mod:`websdk`), where the applicant
or action flow completes: played by the scenario in ``auto`` mode, by a person in ``interactive``.
Issuing one hands the user's flow (or the action's) to that person (:mod:`handoff`).
"""

from __future__ import annotations

import string
from datetime import timedelta
from typing import Any

from starlette.requests import Request

from simulator.engine.clock import isoformat
from simulator.providers.sumsub import constants as c
from simulator.providers.sumsub import handoff
from simulator.providers.sumsub.api import endpoint, json_body, query_int
from simulator.providers.sumsub.errors import bad_request
from simulator.providers.sumsub.models import Ctx
from simulator.web import base_url


def _base(request: Request) -> str:
    return base_url(request.scope)


def issue_token(ctx: Ctx, user_id: str, level: str, ttl: int, external_action_id: str | None, identifiers: Any) -> dict:
    prefix = c.ACCESS_TOKEN_PREFIX + ("sbx-" if ctx.sandbox else "")
    token = prefix + ctx.uuid()
    doc = {
        "id": token,
        "userId": user_id,
        "levelName": level,
        "externalActionId": external_action_id,
        "applicantIdentifiers": identifiers or {},
        "expiresAt": isoformat(ctx.now + timedelta(seconds=ttl)),
    }
    ctx.put(c.KIND_TOKEN, doc)
    handoff.grant(ctx, user_id, external_action_id, doc["expiresAt"])
    return {"token": token, "userId": user_id}


async def create_sdk_token(request: Request, ctx: Ctx) -> dict:
    body = await json_body(request, "access_token.request")
    return issue_token(
        ctx,
        body["userId"],
        body["levelName"],
        body.get("ttlInSecs") or c.DEFAULT_TTL,
        body.get("externalActionId"),
        body.get("applicantIdentifiers"),
    )


async def create_legacy_token(request: Request, ctx: Ctx) -> dict:
    """``POST /resources/accessTokens?userId=&levelName=&ttlInSecs=&externalActionId=`` (empty body)."""
    q = request.query_params
    if not q.get("userId"):
        raise bad_request("Query parameter 'userId' is required")
    level = q.get("levelName") or c.DEFAULT_LEVEL
    return issue_token(
        ctx,
        q["userId"],
        level,
        query_int(request, "ttlInSecs", c.DEFAULT_TTL, maximum=c.MAX_TTL),
        q.get("externalActionId"),
        None,
    )


def _link(ctx: Ctx, fields: dict[str, Any]) -> str:
    link_id = ("sbx_" if ctx.sandbox else "") + ctx.sim.ids.chars(string.ascii_letters + string.digits, 16, ctx.tenant)
    ttl = fields.pop("ttlInSecs", None) or 1800
    doc = {"id": link_id, **fields, "expiresAt": isoformat(ctx.now + timedelta(seconds=ttl))}
    ctx.put(c.KIND_LINK, doc)
    handoff.grant(ctx, doc["userId"], doc["externalActionId"], doc["expiresAt"])
    return link_id


async def create_websdk_link(request: Request, ctx: Ctx) -> dict:
    body = await json_body(request, "websdk_link.request")
    link_id = _link(
        ctx,
        {
            "userId": body.get("userId") or body.get("externalUserId"),
            "levelName": body["levelName"],
            "externalActionId": body.get("externalActionId"),
            "applicantIdentifiers": body.get("applicantIdentifiers") or {},
            "redirect": body.get("redirect"),
            "ttlInSecs": body.get("ttlInSecs"),
            "lang": request.query_params.get("lang"),
        },
    )
    return {"url": f"{_base(request)}/websdk/p/{link_id}"}


async def create_legacy_websdk_link(request: Request, ctx: Ctx) -> dict:
    """``POST /resources/sdkIntegrations/levels/{levelName}/websdkLink?ttlInSecs=&externalUserId=&lang=``."""
    body = await json_body(request, required=False)
    q = request.query_params
    link_id = _link(
        ctx,
        {
            "userId": q.get("externalUserId") or body.get("externalUserId"),
            "levelName": request.path_params["level_name"],
            "externalActionId": q.get("externalActionId"),
            "applicantIdentifiers": {k: body[k] for k in ("email", "phone") if body.get(k)},
            "ttlInSecs": query_int(request, "ttlInSecs", 1800, maximum=c.MAX_TTL),
            "lang": q.get("lang"),
        },
    )
    return {"url": f"{_base(request)}/idensic/l/#/{link_id}"}


async def api_health(request: Request, ctx: Ctx) -> dict:
    return {"ok": 1}


create_sdk_token = endpoint(create_sdk_token)
create_legacy_token = endpoint(create_legacy_token)
create_websdk_link = endpoint(create_websdk_link)
create_legacy_websdk_link = endpoint(create_legacy_websdk_link)
api_health = endpoint(api_health, signed=False)
