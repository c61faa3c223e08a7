"""Applicants: create, read (by id or externalUserId), status, steps status, request check, reset,
and the sandbox ``status/testCompleted`` call (fact sheet 1.7, 1.8)."""

from __future__ import annotations

from typing import Any

from starlette.responses import JSONResponse

from simulator.engine.scenarios.selection import SelectionError
from simulator.providers.sumsub import constants as c
from simulator.providers.sumsub import handoff, lifecycle, webhooks
from simulator.providers.sumsub.api import find_applicant, find_by_external_user_id, matrix, scenario_header
from simulator.providers.sumsub.errors import SumsubError, bad_request, conflict, not_found
from simulator.providers.sumsub.review import complete, review_result
from simulator.providers.sumsub.state import SumsubState, public
from simulator.providers.sumsub.subjects import DOC_SET_OF, new_applicant
from simulator.toolkit.routes import Call

OK = {"ok": 1}


def create(
    ctx: SumsubState,
    body: dict[str, Any],
    level: str,
    header: str | None,
    platform: str = "API",
    *,
    on_page: bool = False,
) -> dict[str, Any]:
    """Create, pick the scenario, announce: shared by the API and the hosted page (``on_page``: the
    person is there already)."""
    existing = find_by_external_user_id(ctx, body["externalUserId"])
    if existing is not None:
        raise conflict(f"Applicant with external user id '{body['externalUserId']}' already exists: {existing['id']}")
    doc = new_applicant(ctx, body, level, platform)
    facts = {
        "applicantId": doc["id"],
        "externalUserId": doc["externalUserId"],
        "email": doc.get("email"),
        "levelName": level,
    }
    try:
        handed_off = on_page or handoff.granted(ctx, doc["externalUserId"], None)
        subject = {"kind": "applicant", "id": doc["id"]}
        lifecycle.start_run(ctx, c.APPLICANT, doc, subject, facts, header, handed_off=handed_off)
    except SelectionError as exc:
        raise bad_request(str(exc)) from None
    ctx.put(c.KIND_APPLICANT, doc)
    webhooks.publish(ctx, c.WH_APPLICANT_CREATED, doc)
    return doc


async def create_applicant(call: Call) -> JSONResponse:
    level = call.query.get("levelName")
    if not level:
        raise bad_request("Query parameter 'levelName' is required")
    body = await call.json()
    doc = create(call.state, body, level, scenario_header(call.request))
    call.mark_scenario(doc["_scenario"])
    return JSONResponse(public(doc), status_code=201)


def _lookup(call: Call) -> dict[str, Any]:
    selector = call.params["applicant_id"]
    if selector.startswith("-;"):
        external = (matrix(call.request) or {}).get("externalUserId")
        if not external:
            raise bad_request(f"Unsupported applicant filter {selector!r}: use -;externalUserId=<id>")
        doc = find_by_external_user_id(call.state, external)
        if doc is None:
            raise not_found(f"Applicant not found: externalUserId={external}")
    else:
        doc = find_applicant(call.state, selector)
    call.mark_scenario(doc.get("_scenario"))
    return doc


async def get_applicant(call: Call) -> dict:
    return public(_lookup(call))


async def get_status(call: Call) -> dict:
    return dict(_lookup(call)["review"])


async def get_required_id_docs_status(call: Call) -> dict:
    doc = _lookup(call)
    review = doc["review"]
    result = review.get("reviewResult") if review["reviewStatus"] == c.COMPLETED else None
    steps: dict[str, Any] = {s["idDocSetType"]: None for s in doc["requiredIdDocs"]["docSets"]}
    for image_id in doc.get("_images", []):
        image = call.state.get(c.KIND_IMAGE, image_id)
        if image is None:
            continue
        step_name = DOC_SET_OF.get(image["idDocType"], image["idDocType"])
        step = steps.get(step_name) or {"country": image["country"], "idDocType": image["idDocType"], "imageIds": []}
        step["imageIds"].append(int(image_id))
        if result is not None:
            answer = {"reviewAnswer": result["reviewAnswer"]}
            step["reviewResult"] = answer
            step.setdefault("imageReviewResults", {})[image_id] = answer
        steps[step_name] = step
    return steps


async def request_check(call: Call) -> dict:
    """The client's submission (``?reason=`` is accepted and not used): one attempt, refused as Sumsub
    refuses it; a GREEN review stays as it is."""
    doc = _lookup(call)
    lifecycle.check_can_request(call.state, doc)
    lifecycle.applicant_submits(call.state, doc, None)
    return OK


async def reset_applicant(call: Call) -> dict:
    ctx = call.state
    doc = _lookup(call)
    status = doc["review"]["reviewStatus"]
    if status in c.IN_REVIEW:
        raise bad_request(f"Applicant can't be reset while its review status is '{status}'")
    lifecycle.notice(ctx, doc, None, c.WH_APPLICANT_RESET, {})
    scenario = ctx.sim.catalogue.get(doc.get("_scenario", ""))
    if doc.get("_run") and scenario is not None:
        ctx.sim.runner.replace(ctx.tenant, c.PROVIDER, doc["_run"], scenario)  # the flow starts over
    return OK


async def test_completed(call: Call) -> dict:
    ctx = call.state
    doc = _lookup(call)
    body = await call.json()
    if not ctx.sandbox:
        raise SumsubError(400, "This method is only supported on sandbox env")
    if doc.get("_run"):
        ctx.sim.runner.stop(ctx.tenant, c.PROVIDER, doc["_run"], "test_completed")
    result = review_result(body)
    complete(doc, result, ctx.now, action=False)
    ctx.put(c.KIND_APPLICANT, doc)
    webhooks.publish(ctx, c.WH_APPLICANT_REVIEWED, doc)
    return OK
