"""WebSDK access tokens and links (current and legacy forms), and the API health check.

Tokens and links point at the simulator's own hosted page (:mod:`hosted`), where the applicant
or action flow completes: played by the scenario in ``auto`` mode, by a person in ``interactive``.
Issuing one hands the user's flow (or the action's) to that person (:mod:`handoff`).
"""

from __future__ import annotations

import string
from datetime import timedelta
from typing import Any

from simulator.engine.clock import isoformat
from simulator.providers.sumsub import constants as c
from simulator.providers.sumsub import handoff
from simulator.providers.sumsub.api import query_int
from simulator.providers.sumsub.errors import bad_request
from simulator.providers.sumsub.state import SumsubState
from simulator.toolkit.routes import Call


def issue_token(
    ctx: SumsubState, user_id: str, level: str, ttl: int, external_action_id: str | None, identifiers: Any
) -> dict:
    prefix = c.ACCESS_TOKEN_PREFIX + ("sbx-" if ctx.sandbox else "")
    token = prefix + ctx.uuid()
    expires_at = isoformat(ctx.now + timedelta(seconds=ttl))
    doc = {
        "id": token,
        "userId": user_id,
        "levelName": level,
        "externalActionId": external_action_id,
        "applicantIdentifiers": identifiers or {},
        "expiresAt": expires_at,
    }
    ctx.put(c.KIND_TOKEN, doc)
    handoff.grant(ctx, user_id, external_action_id, expires_at)
    return {"token": token, "userId": user_id}


async def create_sdk_token(call: Call) -> dict:
    body = call.body
    return issue_token(
        call.state,
        body["userId"],
        body["levelName"],
        body.get("ttlInSecs") or c.DEFAULT_TTL,
        body.get("externalActionId"),
        body.get("applicantIdentifiers"),
    )


async def create_legacy_token(call: Call) -> dict:
    """``POST /resources/accessTokens?userId=&levelName=&ttlInSecs=&externalActionId=`` (empty body)."""
    q = call.query
    if not q.get("userId"):
        raise bad_request("Query parameter 'userId' is required")
    level = q.get("levelName") or c.DEFAULT_LEVEL
    return issue_token(
        call.state,
        q["userId"],
        level,
        query_int(call.request, "ttlInSecs", c.DEFAULT_TTL, maximum=c.MAX_TTL),
        q.get("externalActionId"),
        None,
    )


def _link(ctx: SumsubState, fields: dict[str, Any]) -> str:
    link_id = ("sbx_" if ctx.sandbox else "") + ctx.sim.ids.chars(string.ascii_letters + string.digits, 16, ctx.tenant)
    ttl = fields.pop("ttlInSecs", None) or 1800
    doc = {"id": link_id, **fields, "expiresAt": isoformat(ctx.now + timedelta(seconds=ttl))}
    ctx.put(c.KIND_LINK, doc)
    handoff.grant(ctx, doc["userId"], doc["externalActionId"], doc["expiresAt"])
    return link_id


async def create_websdk_link(call: Call) -> dict:
    body = call.body
    link_id = _link(
        call.state,
        {
            "userId": body.get("userId") or body.get("externalUserId"),
            "levelName": body["levelName"],
            "externalActionId": body.get("externalActionId"),
            "applicantIdentifiers": body.get("applicantIdentifiers") or {},
            "redirect": body.get("redirect"),
            "ttlInSecs": body.get("ttlInSecs"),
            "lang": call.query.get("lang"),
        },
    )
    return {"url": f"{call.base_url}/websdk/p/{link_id}"}


async def create_legacy_websdk_link(call: Call) -> dict:
    """``POST /resources/sdkIntegrations/levels/{levelName}/websdkLink?ttlInSecs=&externalUserId=&lang=``."""
    body = await call.json(required=False)
    q = call.query
    link_id = _link(
        call.state,
        {
            "userId": q.get("externalUserId") or body.get("externalUserId"),
            "levelName": call.params["level_name"],
            "externalActionId": q.get("externalActionId"),
            "applicantIdentifiers": {k: body[k] for k in ("email", "phone") if body.get(k)},
            "ttlInSecs": query_int(call.request, "ttlInSecs", 1800, maximum=c.MAX_TTL),
            "lang": q.get("lang"),
        },
    )
    return {"url": f"{call.base_url}/idensic/l/#/{link_id}"}


async def api_health(call: Call) -> dict:
    return {"ok": 1}
