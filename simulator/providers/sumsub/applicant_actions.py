"""Applicant actions: create (current and legacy typed forms), get one, list, request check,
payment-method data and the latest check of a type (fact sheet 1.1-1.6)."""

from __future__ import annotations

from typing import Any

from simulator.engine.scenarios.selection import SelectionError
from simulator.providers.sumsub import constants as c
from simulator.providers.sumsub import handoff, lifecycle
from simulator.providers.sumsub.api import (
    find_action,
    find_action_by_external_id,
    find_applicant,
    matrix,
    query_int,
    scenario_header,
)
from simulator.providers.sumsub.errors import bad_request, conflict
from simulator.providers.sumsub.schemas import first_error
from simulator.providers.sumsub.state import SumsubState, public
from simulator.providers.sumsub.subjects import new_action
from simulator.toolkit.routes import Call

LEGACY_TYPES = {
    "paymentMethod": c.ACTION_PAYMENT_METHOD,
    "faceAuth": "faceAuth",
    "cryptoTransaction": "cryptoTransaction",
}


def create(
    ctx: SumsubState,
    applicant: dict[str, Any],
    body: dict[str, Any],
    level: str,
    header: str | None,
    action_type: str | None = None,
    *,
    on_page: bool = False,
) -> dict[str, Any]:
    """Create, pick the scenario and start it: shared by the API and the hosted page (``on_page``,
    where the person is there already)."""
    duplicate = find_action_by_external_id(ctx, applicant["id"], body["externalActionId"])
    if duplicate is not None:
        raise conflict(
            f"Applicant action with external id '{body['externalActionId']}' already exists: {duplicate['id']}"
        )
    doc = new_action(ctx, applicant, body, level, action_type)
    facts = {
        "applicantId": applicant["id"],
        "externalUserId": applicant["externalUserId"],
        "externalActionId": doc["externalActionId"],
        "email": body.get("email") or applicant.get("email"),
        "levelName": level,
    }
    try:
        subject = {"kind": "action", "id": doc["id"], "applicantId": applicant["id"]}
        handed_off = on_page or handoff.granted(ctx, applicant["externalUserId"], doc["externalActionId"])
        lifecycle.start_run(ctx, c.APPLICANT_ACTION, doc, subject, facts, header, handed_off=handed_off)
    except SelectionError as exc:
        raise bad_request(str(exc)) from None
    ctx.put(c.KIND_ACTION, doc)
    return doc


async def create_action(call: Call) -> dict:
    applicant = find_applicant(call.state, call.params["applicant_id"])
    level = call.query.get("levelName") or c.DEFAULT_ACTION_LEVEL
    body = await call.json()
    if not [k for k, v in body.items() if k not in ("externalActionId", "applicantId", "levelName") and v is not None]:
        raise bad_request(
            "Request is empty: besides externalActionId, provide at least one of email, phone, paymentMethod,"
            " paymentSource or questionnaires"
        )
    doc = create(call.state, applicant, body, level, scenario_header(call.request))
    call.mark_scenario(doc["_scenario"])
    return public(doc)


async def create_typed_action(call: Call) -> dict:
    """Legacy ``.../forApplicant/{applicantId}/{actionType}`` (paymentMethod, faceAuth, cryptoTransaction,
    cryptoSourceOfFunds); the external id may come in ``X-External-Action-Id``."""
    applicant = find_applicant(call.state, call.params["applicant_id"])
    action_type = call.params["action_type"]
    if action_type not in (*LEGACY_TYPES, c.ACTION_CRYPTO):
        raise bad_request(f"Unknown action type '{action_type}'")
    body = await call.json(required=False)
    external = call.request.headers.get(c.HEADER_EXTERNAL_ACTION_ID) or body.get("externalActionId")
    if not external:
        raise bad_request(f"Header {c.HEADER_EXTERNAL_ACTION_ID} is required")
    if action_type == c.ACTION_PAYMENT_METHOD and body and "paymentMethod" not in body:
        problem = first_error("payment_method.request", body)
        if problem:
            raise bad_request(f"Invalid request: {problem}")
        body = {"paymentMethod": body}
    if action_type == c.ACTION_CRYPTO:
        missing = [k for k in ("currency", "direction", "address") if not body.get(k)]
        if missing:
            raise bad_request(f"Missing required field(s): {', '.join(missing)}")
    body = {**body, "externalActionId": external}
    level = call.query.get("levelName") or c.DEFAULT_ACTION_LEVEL
    doc = create(
        call.state, applicant, body, level, scenario_header(call.request), LEGACY_TYPES.get(action_type, action_type)
    )
    call.mark_scenario(doc["_scenario"])
    return public(doc)


async def get_action(call: Call) -> dict:
    doc = find_action(call.state, call.params["action_id"])
    call.mark_scenario(doc.get("_scenario"))
    return public(doc)


async def list_actions(call: Call) -> dict:
    selector = call.params["selector"]
    if not selector.startswith("-;"):
        raise bad_request(f"Unsupported filter {selector!r}: use -;applicantId=<id>")
    params = matrix(call.request) or {}
    applicant_id = params.get("applicantId")
    if not applicant_id:
        raise bad_request("Filter applicantId is required: -;applicantId=<id>")
    find_applicant(call.state, applicant_id)
    limit = query_int(call.request, "limit", c.LIST_DEFAULT_LIMIT)
    offset = query_int(call.request, "offset", 0)
    items = [public(a) for a in call.state.list(c.KIND_ACTION) if a["applicantId"] == applicant_id]
    txn = params.get("kytTxnReference.txnId")
    if txn is not None:
        items = [a for a in items if (a.get("kytTxnReference") or {}).get("txnId") == txn]
    if call.query.get("order") == "-createdAt":
        items.reverse()
    page = items[offset : offset + limit]
    # Sources disagree on the envelope (list.items vs root items): emit both.
    return {"list": {"items": page, "totalItems": len(items)}, "items": page, "totalItems": len(items)}


async def request_action_check(call: Call) -> dict:
    ctx = call.state
    action = find_action(ctx, call.params["action_id"])
    applicant = find_applicant(ctx, action["applicantId"])
    lifecycle.check_can_request(ctx, action)
    lifecycle.applicant_submits(ctx, applicant, action)
    return public(ctx.get(c.KIND_ACTION, action["id"]) or action)


async def set_payment_method(call: Call) -> dict:
    action = find_action(call.state, call.params["action_id"])
    body = await call.json()
    image_ids = (action.get("paymentMethod") or {}).get("imageIds")
    action["paymentMethod"] = {**body, **({"imageIds": image_ids} if image_ids else {})}
    call.state.put(c.KIND_ACTION, action)
    return action["paymentMethod"]


async def latest_check(call: Call) -> dict:
    action = find_action(call.state, call.params["action_id"])
    wanted = call.query.get("type")
    if wanted and wanted not in c.ACTION_CHECK_TYPES:
        raise bad_request(f"Unknown check type '{wanted}'")
    checks = [ch for ch in action.get("checks", []) if not wanted or ch["checkType"] == wanted]
    if wanted == c.CHECK_PAYMENT_SOURCE and checks:
        checks = [{**checks[-1], "paymentSourceCheck": (action.get("paymentSource") or {}).get("checks", [None])[-1]}]
    return {"checks": checks[-1:]}
